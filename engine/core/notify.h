/*
 * notify.h — readiness for a service manager: systemd's notify protocol
 * (sd_notify(3)), spoken directly — one datagram to the unix socket named by
 * $NOTIFY_SOCKET — so the unit can be Type=notify without linking libsystemd.
 * Outside systemd ($NOTIFY_SOCKET unset) it does nothing.
 */
#ifndef IMIFLOW_NOTIFY_H
#define IMIFLOW_NOTIFY_H

/* Sends state ("READY=1", "STOPPING=1"); 0 sent or nobody listens, -1 failed (logged by the caller). */
int notify_send(const char *state);

#endif

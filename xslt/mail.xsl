<?xml version="1.0" encoding="UTF-8"?>
<!--
  mail.xsl — every mail imiflow sends. The model's root is
  <mail template="NAME">; each included file renders one template into
  <mail><subject/><body/></mail> (plain text, in the recipient's language).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:include href="mail/temporary-password.xsl"/>
  <xsl:include href="mail/workflow-event.xsl"/>
  <xsl:include href="mail/invitation.xsl"/>
  <xsl:include href="mail/access-changed.xsl"/>
  <xsl:include href="mail/registration-pending.xsl"/>
  <xsl:include href="mail/registration-rejected.xsl"/>
  <xsl:include href="mail/password-reminder.xsl"/>
  <xsl:include href="mail/password-blocked.xsl"/>
  <xsl:include href="mail/request-event.xsl"/>
  <xsl:include href="mail/case-event.xsl"/>

  <!-- An unknown template yields no <mail>: the caller fails and logs it. -->
  <xsl:template match="/mail" priority="-1">
    <unknown-template name="{@template}"/>
  </xsl:template>

  <xsl:template name="signature">
    <xsl:text>&#10;&#10;-- &#10;</xsl:text>
    <xsl:value-of select="i18n:t('mail.signature')"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>

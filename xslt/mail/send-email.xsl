<?xml version="1.0" encoding="UTF-8"?>
<!--
  send-email.xsl — Administration → Send e-mail (engine/imi/send_email.c): the fixed subject
  "Message from your IMI Coordinator" (seed 002), a header naming the real sender with their
  registered address, then the sender's message as they wrote it (plain text: paragraphs and
  links as typed; never markup).  Rendered once per language for every recipient of it.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='send-email']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.send-email.subject')"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.send-email.header', sender/@name, sender/@authority, sender/@country, sender/@email)"/>
        <xsl:text>&#10;----------------------------------------------------------------------&#10;&#10;</xsl:text>
        <xsl:value-of select="message"/>
        <xsl:text>&#10;&#10;-- &#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.send-email.footer')"/>
        <xsl:text>&#10;</xsl:text>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

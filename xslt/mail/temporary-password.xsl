<?xml version="1.0" encoding="UTF-8"?>
<!--
  temporary-password.xsl — a new user's (or a reset) temporary password.
  The username is never in this mail: the IMI guides require that it is
  passed on outside e-mail.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='temporary-password']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.temporary-password.subject')"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t(concat('mail.temporary-password.', @reason), authority)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.temporary-password.line', password)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.temporary-password.how', url)"/>
        <xsl:text>&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.temporary-password.username')"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

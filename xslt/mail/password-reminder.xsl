<?xml version="1.0" encoding="UTF-8"?>
<!-- password-reminder.xsl — the password expires soon: change it (seed 001 §3.2.1). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='password-reminder']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.password-reminder.subject')"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.password-reminder.line', expires)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="url"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  password-blocked.xsl — five wrong passwords in a row blocked the password (seed 001
  §3.2.1).  The sign-in page says nothing of it (it answers every failure alike), so this
  mail is how its holder learns it, and whom to ask.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='password-blocked']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.password-blocked.subject')"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.password-blocked.line', blocked)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.password-blocked.reset')"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

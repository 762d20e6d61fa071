<?xml version="1.0" encoding="UTF-8"?>
<!-- registration-pending.xsl — to the inviting authority: an authority registered and waits for validation. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='registration-pending']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.registration-pending.subject')"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.registration-pending.line')"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="concat(substring-before(url, '/instances/'), '/tasks/validations')"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

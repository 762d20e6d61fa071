<?xml version="1.0" encoding="UTF-8"?>
<!-- registration-rejected.xsl — to a self-registered authority's first user: not validated, and why. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='registration-rejected']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.registration-rejected.subject')"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.registration-rejected.line', authority)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="reason"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

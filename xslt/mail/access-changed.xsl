<?xml version="1.0" encoding="UTF-8"?>
<!-- access-changed.xsl — a module access of the recipient's authority was granted, suspended or re-granted. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='access-changed']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.access-changed.subject', i18n:t(state))"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.access-changed.line', i18n:t(event), i18n:t(state))"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="concat(substring-before(url, '/instances/'), '/admin/my-authority')"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!-- invitation.xsl — an invitation to self-register: who invites, the link, how long it works. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='invitation']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.invitation.subject', authority)"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.invitation.line', inviter, authority)"/>
        <xsl:if test="string(message) != ''">
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="message"/>
        </xsl:if>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.invitation.how', i18n:plural('plural.days', days))"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="url"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.invitation.after')"/>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

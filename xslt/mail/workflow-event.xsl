<?xml version="1.0" encoding="UTF-8"?>
<!--
  workflow-event.xsl — the generic mail of a workflow <notify>: what happened
  to which instance, and the page where to see it.  The workflow, event and
  state labels are message keys (workflows/README.md, "Labels"): in the
  recipient's language.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='workflow-event']">
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.workflow-event.subject', i18n:t(string(workflow)), i18n:t(string(state)))"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.workflow-event.line', i18n:t(string(workflow)), i18n:t(string(event)), i18n:t(string(state)))"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="url"/>
        <xsl:if test="link">
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.links.intro')"/>
          <xsl:for-each select="link">
            <xsl:text>&#10;&#10;</xsl:text>
            <xsl:value-of select="i18n:t(@label)"/>
            <xsl:text>: </xsl:text>
            <xsl:value-of select="."/>
          </xsl:for-each>
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.links.rules')"/>
        </xsl:if>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

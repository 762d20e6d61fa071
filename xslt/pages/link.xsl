<?xml version="1.0" encoding="UTF-8"?>
<!-- link.xsl — the confirmation page of an approval link from a mail, and its outcomes. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='link']" mode="title">
    <xsl:value-of select="i18n:t('link.title')"/>
  </xsl:template>

  <xsl:template match="page[@name='link']" mode="content">
    <xsl:variable name="l" select="link"/>
    <section class="card narrow" id="link" data-outcome="{$l/@status}">
      <h1><xsl:value-of select="i18n:t('link.title')"/></h1>
      <xsl:if test="$l/@instance">
        <p><xsl:value-of select="i18n:t('link.summary', i18n:t($l/@workflow), $l/@number, i18n:t(string($l/@state-label)))"/></p>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$l/@status = 'ready'">
          <p><xsl:value-of select="i18n:t('link.ready')"/></p>
          <form method="post" action="/links/{$l/@token}">
            <xsl:call-template name="csrf"/>
            <button type="submit" id="link-confirm"><xsl:value-of select="i18n:t('link.confirm', i18n:t($l/@label))"/></button>
          </form>
        </xsl:when>
        <xsl:when test="$l/@status = 'done'">
          <p class="notice"><xsl:value-of select="i18n:t('link.done', i18n:t($l/@label))"/></p>
        </xsl:when>
        <xsl:otherwise>
          <p class="error"><xsl:value-of select="i18n:t(concat('link.', $l/@status))"/></p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$l/@instance">
        <p><a href="/instances/{$l/@instance}"><xsl:value-of select="i18n:t('link.open')"/></a></p>
      </xsl:if>
    </section>
  </xsl:template>
</xsl:stylesheet>

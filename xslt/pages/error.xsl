<?xml version="1.0" encoding="UTF-8"?>
<!-- error.xsl — 400, 403, 404, 405, 409, 413, 500: what happened and what to do. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='error']" mode="title">
    <xsl:value-of select="i18n:t(concat('error.', error/@status, '.title'))"/>
  </xsl:template>

  <xsl:template match="page[@name='error']" mode="content">
    <section class="error-page">
      <h1><xsl:value-of select="i18n:t(concat('error.', error/@status, '.title'))"/></h1>
      <p class="lead">
        <xsl:choose>
          <xsl:when test="error/@key != ''"><xsl:value-of select="i18n:t(error/@key, string(error/@arg))"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="i18n:t(concat('error.', error/@status, '.text'))"/></xsl:otherwise>
        </xsl:choose>
      </p>
      <p><a href="/"><xsl:value-of select="i18n:t('error.back')"/></a></p>
      <p class="small"><xsl:value-of select="i18n:t('error.quote', @request-id)"/></p>
    </section>
  </xsl:template>
</xsl:stylesheet>

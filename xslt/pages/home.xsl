<?xml version="1.0" encoding="UTF-8"?>
<!-- home.xsl — the start page after signing in. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='home']" mode="title">
    <xsl:value-of select="i18n:t('home.title')"/>
  </xsl:template>

  <xsl:template match="page[@name='home']" mode="content">
    <xsl:for-each select="notice">
      <p class="notice" role="status" data-notice="{@key}">
        <xsl:value-of select="i18n:t(concat('notice.', @key))"/>
      </p>
    </xsl:for-each>
    <h1><xsl:value-of select="i18n:t('home.welcome', user/@name)"/></h1>
    <p><xsl:value-of select="i18n:t('home.intro')"/></p>
  </xsl:template>
</xsl:stylesheet>

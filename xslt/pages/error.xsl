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
        <xsl:for-each select="error/reason">
          <xsl:attribute name="data-reason"><xsl:value-of select="@kind"/></xsl:attribute>
          <xsl:attribute name="data-name"><xsl:value-of select="@name"/></xsl:attribute>
        </xsl:for-each>
        <xsl:choose>
          <!-- An action's own words (kind "other") are all there is to say: the sentence with them. -->
          <xsl:when test="error/reason[@kind != 'other']"><xsl:apply-templates select="error/reason"/></xsl:when>
          <!-- The argument in words too where it is a label (a state's, in a 409). -->
          <xsl:when test="error/@key != '' and string(error/@arg) != ''"><xsl:value-of select="i18n:t(error/@key, i18n:t(string(error/@arg)))"/></xsl:when>
          <xsl:when test="error/@key != ''"><xsl:value-of select="i18n:t(error/@key)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="i18n:t(concat('error.', error/@status, '.text'))"/></xsl:otherwise>
        </xsl:choose>
      </p>
      <p><a href="/"><xsl:value-of select="i18n:t('error.back')"/></a></p>
      <p class="small"><xsl:value-of select="i18n:t('error.quote', @request-id)"/></p>
    </section>
  </xsl:template>

  <!--
    A refused transition in the reader's words (issue 16): the engine's detail is
    English, for the log; its reason comes by kind and names.  A role by its role
    label, a party, condition or field by its catalogue key, else by its name.
  -->
  <xsl:template match="reason">
    <xsl:variable name="k">
      <xsl:choose>
        <xsl:when test="@kind = 'role-party' and not(@name)">party</xsl:when>
        <xsl:when test="@kind = 'role-party' and not(@value)">role</xsl:when>
        <xsl:when test="@negate = 'true'"><xsl:value-of select="concat(@kind, '-not')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="@kind"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="prefix">
      <xsl:choose>
        <xsl:when test="@kind = 'role-party'">role.</xsl:when>
        <xsl:when test="@kind = 'condition'">condition.</xsl:when>
        <xsl:otherwise>field.</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="name">
      <xsl:call-template name="reason-word">
        <xsl:with-param name="key" select="concat($prefix, @name)"/>
        <xsl:with-param name="else" select="@name"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="value">
      <xsl:choose>
        <xsl:when test="@kind = 'role-party'"><xsl:call-template name="reason-word"><xsl:with-param name="key" select="concat('party.', @value)"/><xsl:with-param name="else" select="@value"/></xsl:call-template></xsl:when>
        <xsl:otherwise><xsl:call-template name="reason-word"><xsl:with-param name="key" select="concat('field.', @name, '.', @value)"/><xsl:with-param name="else" select="@value"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:value-of select="i18n:t(concat('error.reason.', $k), string($name), string($value))"/>
  </xsl:template>

  <!-- The catalogue's words for key, else the name itself (i18n:t gives back a key it lacks). -->
  <xsl:template name="reason-word">
    <xsl:param name="key"/>
    <xsl:param name="else"/>
    <xsl:variable name="w" select="i18n:t(string($key))"/>
    <xsl:choose>
      <xsl:when test="$w != $key"><xsl:value-of select="$w"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$else"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

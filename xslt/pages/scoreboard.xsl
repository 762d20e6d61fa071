<?xml version="1.0" encoding="UTF-8"?>
<!-- scoreboard.xsl — the information request scoreboard of a module. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='scoreboard']" mode="title"><xsl:value-of select="i18n:t('scoreboard.title')"/></xsl:template>

  <xsl:template match="page[@name='scoreboard']" mode="content">
    <h1><xsl:value-of select="i18n:t('scoreboard.title')"/></h1>
    <form method="get" action="/scoreboard" class="card" id="scoreboard-form">
      <label for="module"><xsl:value-of select="i18n:t('access.module')"/></label>
      <select id="module" name="module">
        <xsl:for-each select="modules/module">
          <option value="{@code}"><xsl:if test="@selected"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(string(.))"/></option>
        </xsl:for-each>
      </select>
      <label for="by"><xsl:value-of select="i18n:t('scoreboard.by')"/></label>
      <select id="by" name="by">
        <option value="authority"><xsl:value-of select="i18n:t('scoreboard.by.authority')"/></option>
        <option value="country"><xsl:if test="scoreboard/@by = 'country'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('scoreboard.by.country')"/></option>
      </select>
      <button type="submit" id="scoreboard-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>
    <table tabindex="0" class="list" id="scoreboard">
      <thead><tr>
        <th><xsl:value-of select="i18n:t(concat('scoreboard.by.', scoreboard/@by))"/></th>
        <th><xsl:value-of select="i18n:t('scoreboard.sent')"/></th>
        <th><xsl:value-of select="i18n:t('scoreboard.received')"/></th>
        <th><xsl:value-of select="i18n:t('scoreboard.accepted-in-time')"/></th>
        <th><xsl:value-of select="i18n:t('scoreboard.days-to-answer')"/></th>
        <th><xsl:value-of select="i18n:t('scoreboard.answered-in-time')"/></th>
        <th><xsl:value-of select="i18n:t('scoreboard.negative-ratings')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="scoreboard/line">
          <tr data-key="{@key}">
            <!-- The label only: the line's element also holds its figures. -->
            <td>
              <xsl:choose>
                <!-- A country by its name in the reader's language, not the table's English one. -->
                <xsl:when test="../@by = 'country'"><xsl:value-of select="i18n:t(concat('country.', @key))"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="text()"/></xsl:otherwise>
              </xsl:choose>
            </td>
            <td data-measure="sent"><xsl:value-of select="@sent"/></td>
            <td data-measure="received"><xsl:value-of select="@received"/></td>
            <xsl:for-each select="figure">
              <td data-measure="{@measure}" data-colour="{@colour}" class="score {@colour}">
                <xsl:choose>
                  <xsl:when test=". = ''">–</xsl:when>
                  <xsl:otherwise><xsl:value-of select="i18n:number(., 1)"/></xsl:otherwise>
                </xsl:choose>
              </td>
            </xsl:for-each>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <p class="small"><xsl:value-of select="i18n:t('scoreboard.thresholds')"/></p>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!-- security-log.xsl — the security log, for the helpdesk's Administrators (sql/024). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='security-log']" mode="title"><xsl:value-of select="i18n:t('security-log.title')"/></xsl:template>

  <xsl:template match="page[@name='security-log']" mode="content">
    <xsl:variable name="c" select="criteria"/>
    <h1><xsl:value-of select="i18n:t('security-log.title')"/></h1>
    <!-- Issue 16: the one place where codes show, on purpose; the page says why. -->
    <p class="small" id="security-log-help"><xsl:value-of select="i18n:t('security-log.detail-help')"/></p>
    <form method="get" action="/admin/security-log" class="card" id="security-log-form">
      <label for="kind"><xsl:value-of select="i18n:t('security-log.kind')"/></label>
      <select id="kind" name="kind">
        <option value=""><xsl:value-of select="i18n:t('security-log.any-kind')"/></option>
        <xsl:for-each select="kinds/kind">
          <option value="{.}"><xsl:if test=". = $c/@kind"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(concat('security-log.kind.', .))"/></option>
        </xsl:for-each>
      </select>
      <label for="user"><xsl:value-of select="i18n:t('security-log.user')"/></label>
      <input type="text" id="user" name="user" value="{$c/@user}" maxlength="64"/>
      <button type="submit" id="security-log-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>
    <xsl:choose>
      <xsl:when test="entries/entry">
        <table tabindex="0" class="list" id="security-log">
          <thead><tr>
            <th><xsl:value-of select="i18n:t('security-log.at')"/></th>
            <th><xsl:value-of select="i18n:t('security-log.kind')"/></th>
            <th><xsl:value-of select="i18n:t('security-log.actor')"/></th>
            <th><xsl:value-of select="i18n:t('security-log.subject')"/></th>
            <th><xsl:value-of select="i18n:t('security-log.address')"/></th>
            <th><xsl:value-of select="i18n:t('security-log.request')"/></th>
            <th><xsl:value-of select="i18n:t('security-log.detail')"/></th>
          </tr></thead>
          <tbody>
            <xsl:for-each select="entries/entry">
              <tr data-id="{@id}" data-kind="{@kind}">
                <td><xsl:value-of select="i18n:date(@at)"/></td>
                <td><xsl:value-of select="i18n:t(concat('security-log.kind.', @kind))"/></td>
                <td data-actor="{@actor}">
                  <xsl:value-of select="@actor"/>
                  <xsl:if test="@authority">
                    <xsl:text> (</xsl:text><xsl:value-of select="@authority"/><xsl:text>)</xsl:text>
                  </xsl:if>
                </td>
                <td data-subject="{@subject}"><xsl:value-of select="@subject"/></td>
                <td><xsl:value-of select="@address"/></td>
                <td><xsl:value-of select="@request-id"/></td>
                <td><xsl:value-of select="."/></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:when>
      <xsl:otherwise>
        <p id="security-log-empty"><xsl:value-of select="i18n:t('security-log.none')"/></p>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="entries/@newer or entries/@older">
      <form method="get" action="/admin/security-log" class="pages" id="security-log-pages">
        <input type="hidden" name="kind" value="{$c/@kind}"/>
        <input type="hidden" name="user" value="{$c/@user}"/>
        <xsl:if test="entries/@newer">
          <button type="submit" name="page" value="{$c/@page - 1}" id="newer-page"><xsl:value-of select="i18n:t('security-log.newer')"/></button>
        </xsl:if>
        <xsl:if test="entries/@older">
          <button type="submit" name="page" value="{$c/@page + 1}" id="older-page"><xsl:value-of select="i18n:t('security-log.older')"/></button>
        </xsl:if>
      </form>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

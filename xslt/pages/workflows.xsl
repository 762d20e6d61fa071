<?xml version="1.0" encoding="UTF-8"?>
<!-- workflows.xsl — the deployed definitions and the latest instances. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='workflows']" mode="title">
    <xsl:value-of select="i18n:t('workflows.title')"/>
  </xsl:template>

  <xsl:template match="page[@name='workflows']" mode="content">
    <h1><xsl:value-of select="i18n:t('workflows.title')"/></h1>
    <table tabindex="0" class="list" id="definitions">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('workflows.name')"/></th>
        <th><xsl:value-of select="i18n:t('workflows.version')"/></th>
        <th><xsl:value-of select="i18n:t('workflows.instances')"/></th>
        <th><span class="sr-only"><xsl:value-of select="i18n:t('workflows.start')"/></span></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="definitions/definition">
          <tr data-definition="{@name}">
            <td><a href="/workflows/{@name}"><xsl:value-of select="i18n:t(@label)"/></a></td>
            <td><xsl:value-of select="@version"/></td>
            <!-- Counted up to 1,000: "1000+" beyond (page_instance.c q_definitions). -->
            <td><xsl:value-of select="i18n:number(@instances, 0)"/><xsl:if test="@more = 'true'">+</xsl:if></td>
            <td>
              <xsl:if test="@may-start = 'true'">
                <form method="post" action="/workflows/{@name}/start" class="inline">
                  <xsl:call-template name="csrf"/>
                  <button type="submit" id="start-{@name}"><xsl:value-of select="i18n:t('workflows.start')"/></button>
                </form>
              </xsl:if>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <h2><xsl:value-of select="i18n:t('workflows.latest')"/></h2>
    <ul id="instances">
      <xsl:for-each select="instances/instance">
        <li data-definition="{@definition}" data-state="{@state}"><a href="/instances/{@id}"><xsl:value-of select="i18n:t('instance.name', i18n:t(string(@label)), @id)"/></a>
          <xsl:text> – </xsl:text><xsl:value-of select="i18n:t(string(@state-label))"/></li>
      </xsl:for-each>
    </ul>
  </xsl:template>
</xsl:stylesheet>

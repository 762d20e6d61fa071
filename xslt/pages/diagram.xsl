<?xml version="1.0" encoding="UTF-8"?>
<!-- diagram.xsl — a deployed definition drawn by Graphviz, with instances per state. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='diagram']" mode="title">
    <xsl:value-of select="i18n:t(diagram/@label)"/>
  </xsl:template>

  <xsl:template match="page[@name='diagram']" mode="content">
    <h1><xsl:value-of select="i18n:t(diagram/@label)"/></h1>
    <p><xsl:value-of select="i18n:t('instance.version', i18n:t(diagram/@label), diagram/@version)"/></p>
    <figure class="diagram" id="diagram">
      <!-- Graphviz's SVG, from our own dot text: copied as nodes, never as text. -->
      <xsl:copy-of select="diagram/svg/*"/>
    </figure>
    <table tabindex="0" class="list" id="counts">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('diagram.state')"/></th>
        <th><xsl:value-of select="i18n:t('workflows.instances')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="diagram/state">
          <tr data-state="{@name}"><td><xsl:value-of select="i18n:t(string(@label))"/></td><td><xsl:value-of select="@instances"/></td></tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>
</xsl:stylesheet>

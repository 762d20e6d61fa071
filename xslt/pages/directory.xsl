<?xml version="1.0" encoding="UTF-8"?>
<!-- directory.xsl — Authorities → Search and Administration → Managed authorities. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='authority-search']" mode="title"><xsl:value-of select="i18n:t('search.title')"/></xsl:template>
  <xsl:template match="page[@name='managed']" mode="title"><xsl:value-of select="i18n:t('managed.title')"/></xsl:template>

  <xsl:template match="page[@name='authority-search']" mode="content">
    <xsl:variable name="c" select="criteria"/>
    <h1><xsl:value-of select="i18n:t('search.title')"/></h1>
    <form method="get" action="/authorities" class="card" id="search-form">
      <label for="name"><xsl:value-of select="i18n:t('field.official_name')"/></label>
      <input id="name" name="name" type="text" value="{$c/@name}"/>
      <label for="informal"><xsl:value-of select="i18n:t('field.informal_title')"/></label>
      <input id="informal" name="informal" type="text" value="{$c/@informal}"/>
      <xsl:call-template name="criteria-selects"/>
      <button type="submit" id="search-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>
    <xsl:call-template name="results"/>
  </xsl:template>

  <xsl:template name="criteria-selects">
    <xsl:variable name="c" select="criteria"/>
    <label for="country"><xsl:value-of select="i18n:t('field.country')"/></label>
    <select id="country" name="country">
      <option value=""><xsl:value-of select="i18n:t('search.any')"/></option>
      <xsl:for-each select="choices/country">
          <xsl:sort select="i18n:t(concat('country.', @code))"/>
        <option value="{@code}"><xsl:if test="@code = $c/@country"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(concat('country.', @code))"/></option>
      </xsl:for-each>
    </select>
    <label for="module"><xsl:value-of select="i18n:t('access.module')"/></label>
    <select id="module" name="module">
      <option value=""><xsl:value-of select="i18n:t('search.any')"/></option>
      <xsl:for-each select="choices/module">
        <option value="{@code}"><xsl:if test="@code = $c/@module"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(string(.))"/></option>
      </xsl:for-each>
    </select>
  </xsl:template>

  <xsl:template match="page[@name='managed']" mode="content">
    <xsl:variable name="c" select="criteria"/>
    <h1><xsl:value-of select="i18n:t('managed.title')"/></h1>
    <p><a href="/admin/authorities/new" id="register-link"><xsl:value-of select="i18n:t('register.title')"/></a>
      · <a href="/admin/invitations"><xsl:value-of select="i18n:t('invitations.title')"/></a></p>
    <form method="get" action="/admin/authorities" class="card" id="managed-form">
      <fieldset>
        <legend><xsl:value-of select="i18n:t('managed.mine')"/></legend>
        <label class="inline"><input type="radio" name="mine" value="yes">
          <xsl:if test="$c/@mine = 'yes'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
          <xsl:text> </xsl:text><xsl:value-of select="i18n:t('yesno.true')"/></label>
        <label class="inline"><input type="radio" name="mine" value="no">
          <xsl:if test="$c/@mine = 'no'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
          <xsl:text> </xsl:text><xsl:value-of select="i18n:t('yesno.false')"/></label>
      </fieldset>
      <label for="name"><xsl:value-of select="i18n:t('field.official_name')"/></label>
      <input id="name" name="name" type="text" value="{$c/@name}"/>
      <label for="state"><xsl:value-of select="i18n:t('authority.status')"/></label>
      <select id="state" name="state">
        <option value=""><xsl:value-of select="i18n:t('search.any')"/></option>
        <option value="active"><xsl:if test="$c/@state = 'active'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('authority.state.active')"/></option>
        <option value="pending-validation"><xsl:if test="$c/@state = 'pending-validation'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('authority.state.pending-validation')"/></option>
        <option value="deactivated"><xsl:if test="$c/@state = 'deactivated'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('authority.state.deactivated')"/></option>
      </select>
      <button type="submit" id="managed-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>
    <xsl:call-template name="results"/>
  </xsl:template>

  <xsl:template name="results">
    <table tabindex="0" class="list" id="results">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('field.official_name')"/></th>
        <th><xsl:value-of select="i18n:t('field.informal_title')"/></th>
        <th><xsl:value-of select="i18n:t('field.country')"/></th>
        <th><xsl:value-of select="i18n:t('field.authority_type')"/></th>
        <xsl:if test="results/result/@state"><th><xsl:value-of select="i18n:t('authority.status')"/></th></xsl:if>
      </tr></thead>
      <tbody>
        <xsl:for-each select="results/result">
          <tr data-authority="{@id}">
            <td><a href="/authorities/{@id}"><xsl:value-of select="."/></a></td>
            <td><xsl:value-of select="@informal-title"/></td>
            <td><xsl:value-of select="i18n:t(concat('country.', @country))"/></td>
            <td><xsl:value-of select="i18n:t(concat('authority.type.', @type))"/></td>
            <xsl:if test="@state"><td data-state="{@state}"><xsl:value-of select="i18n:t(concat('authority.state.', @state))"/></td></xsl:if>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="not(results/result)"><p class="small" id="no-results"><xsl:value-of select="i18n:t('search.none')"/></p></xsl:if>
    <xsl:if test="results/@more-than"><p class="small"><xsl:value-of select="i18n:t('search.more', results/@more-than)"/></p></xsl:if>
  </xsl:template>
</xsl:stylesheet>

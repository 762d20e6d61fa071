<?xml version="1.0" encoding="UTF-8"?>
<!--
  instance.xsl — one workflow instance: state, data, history, and one form per
  transition the user may fire, with the transition's inputs.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='instance']" mode="title">
    <xsl:value-of select="i18n:t(instance/@label)"/> #<xsl:value-of select="instance/@id"/>
  </xsl:template>

  <xsl:template match="page[@name='instance']" mode="content">
    <xsl:variable name="i" select="instance"/>
    <h1><xsl:value-of select="i18n:t($i/@label)"/> #<xsl:value-of select="$i/@id"/></h1>
    <p>
      <xsl:value-of select="i18n:t('instance.state')"/>
      <xsl:text> </xsl:text>
      <strong id="state" data-state="{$i/@state}"><xsl:value-of select="i18n:t($i/@state-label)"/></strong>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="i18n:t('instance.version', $i/@definition, $i/@version)"/>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="$i/@authority"/>
    </p>

    <xsl:if test="transitions/transition">
      <h2><xsl:value-of select="i18n:t('instance.actions')"/></h2>
      <xsl:for-each select="transitions/transition">
        <form method="post" action="/instances/{$i/@id}/fire/{@event}" class="card transition"
              id="fire-{@event}" data-event="{@event}">
          <xsl:if test="input[@type = 'file']">
            <xsl:attribute name="enctype">multipart/form-data</xsl:attribute>
          </xsl:if>
          <xsl:call-template name="csrf"/>
          <input type="hidden" name="rev" value="{$i/@rev}"/>
          <h3><xsl:value-of select="i18n:t(@label)"/></h3>
          <xsl:if test="@confirm"><p class="small"><xsl:value-of select="i18n:t(@confirm)"/></p></xsl:if>
          <xsl:for-each select="input">
            <xsl:variable name="id" select="concat(../@event, '-', @name)"/>
            <label for="{$id}">
              <xsl:value-of select="i18n:t(@label)"/>
              <xsl:if test="@required = 'true'"> *</xsl:if>
            </label>
            <xsl:choose>
              <xsl:when test="@type = 'textarea'">
                <textarea id="{$id}" name="{@name}" rows="4">
                  <xsl:if test="@max"><xsl:attribute name="maxlength"><xsl:value-of select="@max"/></xsl:attribute></xsl:if>
                  <xsl:value-of select="@value"/>
                </textarea>
              </xsl:when>
              <xsl:when test="@type = 'choice' or @type = 'authority'">
                <select id="{$id}" name="{@name}">
                  <option value=""><xsl:value-of select="i18n:t('instance.choose')"/></option>
                  <xsl:for-each select="option">
                    <option value="{@value}">
                      <xsl:if test="@value = ../@value"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                      <xsl:value-of select="i18n:t(@label)"/>
                    </option>
                  </xsl:for-each>
                </select>
              </xsl:when>
              <xsl:when test="@type = 'file'">
                <input id="{$id}" name="{@name}" type="file"/>
              </xsl:when>
              <xsl:otherwise>
                <input id="{$id}" name="{@name}" value="{@value}">
                  <xsl:attribute name="type">
                    <xsl:choose>
                      <xsl:when test="@type = 'date'">date</xsl:when>
                      <xsl:otherwise>text</xsl:otherwise>
                    </xsl:choose>
                  </xsl:attribute>
                  <xsl:if test="@max"><xsl:attribute name="maxlength"><xsl:value-of select="@max"/></xsl:attribute></xsl:if>
                </input>
              </xsl:otherwise>
            </xsl:choose>
            <xsl:if test="@error">
              <p class="error" data-input="{@name}" data-rule="{@error}">
                <xsl:value-of select="i18n:t(concat('instance.error.', @error))"/>
              </p>
            </xsl:if>
          </xsl:for-each>
          <button type="submit" id="submit-{@event}"><xsl:value-of select="i18n:t(@label)"/></button>
        </form>
      </xsl:for-each>
    </xsl:if>

    <h2><xsl:value-of select="i18n:t('instance.data')"/></h2>
    <dl id="data">
      <xsl:for-each select="data/field">
        <dt><xsl:value-of select="@name"/></dt>
        <dd data-field="{@name}"><xsl:value-of select="."/></dd>
      </xsl:for-each>
    </dl>

    <xsl:if test="documents/document">
      <h2><xsl:value-of select="i18n:t('instance.documents')"/></h2>
      <ul id="documents">
        <xsl:for-each select="documents/document">
          <li data-input="{@input}"><a href="/instances/{$i/@id}/documents/{@id}"><xsl:value-of select="."/></a>
            <xsl:text> (</xsl:text><xsl:value-of select="@size"/><xsl:text> B)</xsl:text></li>
        </xsl:for-each>
      </ul>
    </xsl:if>

    <h2><xsl:value-of select="i18n:t('instance.history')"/></h2>
    <table class="list" id="history">
      <thead><tr>
        <th>#</th><th><xsl:value-of select="i18n:t('instance.when')"/></th>
        <th><xsl:value-of select="i18n:t('instance.event')"/></th>
        <th><xsl:value-of select="i18n:t('instance.change')"/></th>
        <th><xsl:value-of select="i18n:t('instance.who')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="history/entry">
          <tr data-seq="{@seq}" data-event="{@event}">
            <td><xsl:value-of select="@seq"/></td>
            <td><xsl:value-of select="@at"/></td>
            <td><xsl:value-of select="@event"/></td>
            <td><xsl:value-of select="@from"/> → <xsl:value-of select="@to"/></td>
            <td>
              <xsl:choose>
                <xsl:when test="@actor-kind = 'system'"><xsl:value-of select="i18n:t('instance.system')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="@actor"/> (<xsl:value-of select="@authority"/>)</xsl:otherwise>
              </xsl:choose>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>
</xsl:stylesheet>

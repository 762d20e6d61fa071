<?xml version="1.0" encoding="UTF-8"?>
<!-- common.xsl — named templates shared by the pages. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <!-- The CSRF token every POST form carries. -->
  <xsl:template name="csrf">
    <input type="hidden" name="csrf" value="{/page/csrf}"/>
  </xsl:template>

  <!--
    One form per transition the user may fire (<transition> elements as the
    engine lists them), posting to the generic fire URL; next is where the
    engine returns after firing, suffix keeps ids unique when several
    instances' forms share a page.
  -->
  <xsl:template name="transition-forms">
    <xsl:param name="list" select="/.."/>
    <xsl:param name="id"/>
    <xsl:param name="rev"/>
    <xsl:param name="next"/>
    <xsl:param name="suffix"/>
      <xsl:for-each select="$list">
        <form method="post" action="/instances/{$id}/fire/{@event}" class="card transition"
              id="fire-{@event}{$suffix}" data-event="{@event}">
          <xsl:if test="input[@type = 'file']">
            <xsl:attribute name="enctype">multipart/form-data</xsl:attribute>
          </xsl:if>
          <xsl:call-template name="csrf"/>
          <input type="hidden" name="rev" value="{$rev}"/>
          <xsl:if test="$next"><input type="hidden" name="next" value="{$next}"/></xsl:if>
          <h3><xsl:value-of select="i18n:t(@label)"/></h3>
          <xsl:if test="@confirm"><p class="small"><xsl:value-of select="i18n:t(@confirm)"/></p></xsl:if>
          <xsl:for-each select="input">
            <xsl:variable name="fid" select="concat(../@event, $suffix, '-', @name)"/>
            <label for="{$fid}">
              <xsl:value-of select="i18n:t(@label)"/>
              <xsl:if test="@required = 'true'"> *</xsl:if>
            </label>
            <xsl:choose>
              <xsl:when test="@type = 'textarea'">
                <textarea id="{$fid}" name="{@name}" rows="4">
                  <xsl:if test="@max"><xsl:attribute name="maxlength"><xsl:value-of select="@max"/></xsl:attribute></xsl:if>
                  <xsl:value-of select="@value"/>
                </textarea>
              </xsl:when>
              <!-- several country codes: one checkbox each (a case form's countries field) -->
              <xsl:when test="@type = 'countries'">
                <span class="checks" id="{$fid}">
                  <xsl:for-each select="option">
                    <label class="check">
                      <input type="checkbox" name="{../@name}" value="{@value}">
                        <xsl:if test="../value = @value"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                      </input>
                      <xsl:text> </xsl:text><xsl:value-of select="@label"/>
                    </label>
                  </xsl:for-each>
                </span>
              </xsl:when>
              <xsl:when test="@type = 'choice' or @type = 'authority' or @type = 'user' or @type = 'comment'">
                <select id="{$fid}" name="{@name}">
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
                <input id="{$fid}" name="{@name}" type="file"/>
                <xsl:if test="@current">
                  <span class="small hint" data-current="{@name}"><xsl:value-of select="i18n:t('case.file-kept', string(@current))"/></span>
                </xsl:if>
                <xsl:if test="@max-size">
                  <span class="small hint"><xsl:value-of select="i18n:t('instance.upload-max', string(@max-size))"/></span>
                </xsl:if>
                <xsl:if test="@file-types">
                  <span class="small hint" data-file-types="{@file-types}"><xsl:value-of select="i18n:t('instance.upload-types', string(@file-types))"/></span>
                </xsl:if>
              </xsl:when>
              <xsl:otherwise>
                <input id="{$fid}" name="{@name}" value="{@value}">
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
                <xsl:value-of select="i18n:t(concat('instance.error.', @error), string(@max-size))"/>
              </p>
            </xsl:if>
          </xsl:for-each>
          <!-- Errors of fields the form does not draw (an action's own inputs). -->
          <xsl:variable name="t" select="."/>
          <xsl:for-each select="../failed[@event = $t/@event]/error[not(@input = $t/input/@name)]">
            <p class="error" data-input="{@input}" data-rule="{@rule}">
              <xsl:value-of select="i18n:t(concat('instance.error.', @rule))"/>
            </p>
          </xsl:for-each>
          <button type="submit" id="submit-{@event}{$suffix}"><xsl:value-of select="i18n:t(@label)"/></button>
        </form>
      </xsl:for-each>
  </xsl:template>

  <!-- A form field from <field name value error/>: label from field.NAME, error from form.error.RULE. -->
  <xsl:template name="field">
    <xsl:param name="name"/>
    <xsl:param name="type" select="'text'"/>
    <xsl:param name="required"/>
    <xsl:param name="choices" select="/.."/>
    <xsl:param name="prefix" select="'field.'"/>
    <xsl:param name="empty" select="'instance.choose'"/>
    <xsl:variable name="f" select="/page/form/field[@name = $name]"/>
    <label for="{$name}">
      <xsl:value-of select="i18n:t(concat('field.', $name))"/>
      <xsl:if test="$required"> *</xsl:if>
    </label>
    <xsl:choose>
      <xsl:when test="$type = 'textarea'">
        <textarea id="{$name}" name="{$name}" rows="3"><xsl:value-of select="$f/@value"/></textarea>
      </xsl:when>
      <xsl:when test="$type = 'select'">
        <select id="{$name}" name="{$name}">
          <option value=""><xsl:value-of select="i18n:t($empty)"/></option>
          <xsl:for-each select="$choices">
            <option value="{@code}">
              <xsl:if test="@code = $f/@value"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:choose>
                <xsl:when test="string(.) != ''"><xsl:value-of select="."/></xsl:when>
                <xsl:otherwise><xsl:value-of select="i18n:t(concat($prefix, @code))"/></xsl:otherwise>
              </xsl:choose>
            </option>
          </xsl:for-each>
        </select>
      </xsl:when>
      <xsl:otherwise>
        <input id="{$name}" name="{$name}" type="{$type}" value="{$f/@value}"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$f/@error">
      <p class="error" data-field="{$name}" data-rule="{$f/@error}">
        <xsl:value-of select="i18n:t(concat('form.error.', $f/@error))"/>
        <xsl:if test="starts-with($f/@error, 'duplicate') and /page/form/duplicate">
          <xsl:text> </xsl:text>
          <a href="/authorities/{/page/form/duplicate/@id}" id="duplicate-link">
            <xsl:value-of select="/page/form/duplicate"/> (<xsl:value-of select="/page/form/duplicate/@country"/>)
          </a>
        </xsl:if>
      </p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

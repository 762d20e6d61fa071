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
          <!-- The error summary (issue 16): first in the form, each error a link to its field. -->
          <xsl:variable name="tr" select="."/>
          <xsl:if test="input[@error] or ../failed[@event = $tr/@event]/error">
            <div class="error-summary" role="alert" id="errors-{@event}{$suffix}">
              <h2><xsl:value-of select="i18n:t('form.errors.title')"/></h2>
              <ul>
                <xsl:for-each select="input[@error]">
                  <li><a href="#{concat(../@event, $suffix, '-', @name)}"><xsl:value-of select="i18n:t(@label)"/>: <xsl:value-of select="i18n:t(concat('instance.error.', @error), string(@max-size))"/></a></li>
                </xsl:for-each>
                <xsl:for-each select="../failed[@event = $tr/@event]/error[not(@input = $tr/input/@name)]">
                  <li><xsl:value-of select="i18n:t(concat('instance.error.', @rule))"/></li>
                </xsl:for-each>
              </ul>
            </div>
          </xsl:if>
          <xsl:if test="@confirm"><p class="small"><xsl:value-of select="i18n:t(@confirm)"/></p></xsl:if>
          <xsl:for-each select="input">
            <xsl:variable name="fid" select="concat(../@event, $suffix, '-', @name)"/>
            <label for="{$fid}">
              <xsl:value-of select="i18n:t(@label)"/>
              <xsl:if test="@required = 'true'"><xsl:call-template name="required-mark"/></xsl:if>
            </label>
            <xsl:choose>
              <xsl:when test="@type = 'textarea'">
                <textarea id="{$fid}" name="{@name}" rows="4">
                  <xsl:call-template name="invalid-attrs"><xsl:with-param name="fid" select="$fid"/></xsl:call-template>
                  <xsl:if test="@max"><xsl:attribute name="maxlength"><xsl:value-of select="@max"/></xsl:attribute></xsl:if>
                  <xsl:value-of select="@value"/>
                </textarea>
              </xsl:when>
              <!-- several country codes: one checkbox each (a case form's countries field) -->
              <xsl:when test="@type = 'countries'">
                <span class="checks" id="{$fid}" role="group" aria-label="{i18n:t(@label)}">
                  <xsl:for-each select="option">
                    <label class="check">
                      <input type="checkbox" name="{../@name}" value="{@value}">
                        <xsl:if test="../value = @value"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                      </input>
                      <xsl:text> </xsl:text><xsl:value-of select="i18n:t(concat('country.', @value))"/>
                    </label>
                  </xsl:for-each>
                </span>
              </xsl:when>
              <xsl:when test="@type = 'choice' or @type = 'authority' or @type = 'user' or @type = 'comment'">
                <select id="{$fid}" name="{@name}">
                  <xsl:call-template name="invalid-attrs"><xsl:with-param name="fid" select="$fid"/></xsl:call-template>
                  <option value=""><xsl:value-of select="i18n:t('instance.choose')"/></option>
                  <xsl:call-template name="choice-options">
                    <xsl:with-param name="options" select="option"/>
                    <xsl:with-param name="chosen" select="@value"/>
                  </xsl:call-template>
                </select>
              </xsl:when>
              <xsl:when test="@type = 'file'">
                <input id="{$fid}" name="{@name}" type="file">
                  <xsl:call-template name="invalid-attrs"><xsl:with-param name="fid" select="$fid"/></xsl:call-template>
                </input>
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
                  <xsl:call-template name="invalid-attrs"><xsl:with-param name="fid" select="$fid"/></xsl:call-template>
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
              <p class="error" data-input="{@name}" data-rule="{@error}" id="{$fid}-error">
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
      <xsl:if test="$required"><xsl:call-template name="required-mark"/></xsl:if>
    </label>
    <xsl:choose>
      <xsl:when test="$type = 'textarea'">
        <textarea id="{$name}" name="{$name}" rows="3"><xsl:call-template name="field-attrs"><xsl:with-param name="f" select="$f"/><xsl:with-param name="name" select="$name"/><xsl:with-param name="required" select="$required"/></xsl:call-template><xsl:value-of select="$f/@value"/></textarea>
      </xsl:when>
      <xsl:when test="$type = 'select'">
        <select id="{$name}" name="{$name}">
          <xsl:call-template name="field-attrs"><xsl:with-param name="f" select="$f"/><xsl:with-param name="name" select="$name"/><xsl:with-param name="required" select="$required"/></xsl:call-template>
          <option value=""><xsl:value-of select="i18n:t($empty)"/></option>
          <xsl:for-each select="$choices">
            <!-- Countries by their name in the reader's language; other choices keep their order. -->
            <xsl:sort select="substring(i18n:t(concat($prefix, @code)), 1, 1000 * ($prefix = 'country.'))"/>
            <option value="{@code}">
              <xsl:if test="@code = $f/@value"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:choose>
                <xsl:when test="string(.) != '' and $prefix != 'country.'"><xsl:value-of select="."/></xsl:when>
                <xsl:otherwise><xsl:value-of select="i18n:t(concat($prefix, @code))"/></xsl:otherwise>
              </xsl:choose>
            </option>
          </xsl:for-each>
        </select>
      </xsl:when>
      <xsl:otherwise>
        <input id="{$name}" name="{$name}" type="{$type}" value="{$f/@value}">
          <xsl:call-template name="field-attrs"><xsl:with-param name="f" select="$f"/><xsl:with-param name="name" select="$name"/><xsl:with-param name="required" select="$required"/></xsl:call-template>
        </input>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$f/@error">
      <p class="error" data-field="{$name}" data-rule="{$f/@error}" id="{$name}-error">
        <xsl:value-of select="i18n:t(concat('form.error.', $f/@error))"/>
        <xsl:if test="starts-with($f/@error, 'duplicate') and /page/form/duplicate">
          <xsl:text> </xsl:text>
          <a href="/authorities/{/page/form/duplicate/@id}" id="duplicate-link">
            <xsl:value-of select="/page/form/duplicate"/> (<xsl:value-of select="i18n:t(concat('country.', /page/form/duplicate/@country))"/>)
          </a>
        </xsl:if>
      </p>
    </xsl:if>
  </xsl:template>

  <!--
    A select's options from <option value label [group]/>: those without a group
    first, then one <optgroup> per group (an option source's tree, workflows/README.md
    "options-from"), in the order the groups first appear; labels are catalogue keys.
  -->
  <xsl:template name="choice-options">
    <xsl:param name="options"/>
    <xsl:param name="chosen"/>
    <xsl:for-each select="$options[not(@group)]">
      <xsl:call-template name="choice-option"><xsl:with-param name="chosen" select="$chosen"/></xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="$options[@group]">
      <xsl:variable name="g" select="string(@group)"/>
      <xsl:if test="count($options[@group = $g][1] | .) = 1">
        <optgroup label="{i18n:t($g)}" data-group="{$g}">
          <xsl:for-each select="$options[@group = $g]">
            <xsl:call-template name="choice-option"><xsl:with-param name="chosen" select="$chosen"/></xsl:call-template>
          </xsl:for-each>
        </optgroup>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="choice-option">
    <xsl:param name="chosen"/>
    <option value="{@value}">
      <xsl:if test="@value = $chosen"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
      <xsl:value-of select="i18n:t(@label)"/>
    </option>
  </xsl:template>

  <!-- A value of a countries field (several values): the country's name in the reader's language, else the value. -->
  <xsl:template name="country-value">
    <xsl:variable name="w" select="i18n:t(concat('country.', .))"/>
    <xsl:choose>
      <xsl:when test="starts-with($w, 'country.')"><xsl:value-of select="."/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$w"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- languages and pages (issue 16): forms for everyone. -->
  <!-- A required field: the star for the eye, the word for screen readers. -->
  <xsl:template name="required-mark">
    <span class="required-mark" aria-hidden="true"> *</span><span class="sr-only"><xsl:text> </xsl:text><xsl:value-of select="i18n:t('form.required')"/></span>
  </xsl:template>

  <!-- A transition input's control: required and invalid said to assistive technology, its error tied to it. -->
  <xsl:template name="invalid-attrs">
    <xsl:param name="fid"/>
    <xsl:if test="@required = 'true'"><xsl:attribute name="aria-required">true</xsl:attribute></xsl:if>
    <xsl:if test="@error">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
      <xsl:attribute name="aria-describedby"><xsl:value-of select="concat($fid, '-error')"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- The same for a page form's field (<field name value error/>). -->
  <xsl:template name="field-attrs">
    <xsl:param name="f"/>
    <xsl:param name="name"/>
    <xsl:param name="required"/>
    <xsl:if test="$required"><xsl:attribute name="aria-required">true</xsl:attribute></xsl:if>
    <xsl:if test="$f/@error">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
      <xsl:attribute name="aria-describedby"><xsl:value-of select="concat($name, '-error')"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!--
    The error summary of a page form (<form><field error/></form>): at the top of the page's
    content, each error a link to its field; role=alert, so it is read out when the page comes back.
  -->
  <xsl:template name="form-error-summary">
    <xsl:if test="/page/form/field[@error]">
      <div class="error-summary" role="alert" id="error-summary">
        <h2><xsl:value-of select="i18n:t('form.errors.title')"/></h2>
        <ul>
          <xsl:for-each select="/page/form/field[@error]">
            <li><a href="#{@name}"><xsl:value-of select="i18n:t(concat('field.', @name))"/>: <xsl:value-of select="i18n:t(concat('form.error.', @error))"/></a></li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- languages and pages (issue 16): a history row's event in words (its label, "Created" for the start). -->
  <xsl:template name="event-label">
    <xsl:choose>
      <xsl:when test="@event = 'start'"><xsl:value-of select="i18n:t('history.start')"/></xsl:when>
      <xsl:when test="@event-label"><xsl:value-of select="i18n:t(string(@event-label))"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="i18n:t(concat('history.event.', @event))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A state in words: its label, else nothing said (never the code). -->
  <xsl:template name="state-label">
    <xsl:param name="label"/>
    <xsl:if test="string($label) != ''"><xsl:value-of select="i18n:t(string($label))"/></xsl:if>
  </xsl:template>

  <!-- A history row's recorded inputs: "Caption: value" each, a choice by its option's label. -->
  <xsl:template name="history-inputs">
    <xsl:for-each select="input">
      <xsl:if test="position() &gt; 1">; </xsl:if>
      <xsl:choose>
        <xsl:when test="@label"><xsl:value-of select="i18n:t(string(@label))"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="i18n:t(concat('history.input.', @name))"/></xsl:otherwise>
      </xsl:choose>
      <xsl:text>: </xsl:text>
      <xsl:choose>
        <xsl:when test="@value-label"><xsl:value-of select="i18n:t(string(@value-label))"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="i18n:date(string(.))"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>

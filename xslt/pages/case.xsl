<?xml version="1.0" encoding="UTF-8"?>
<!--
  case.xsl — cases (instances of a definition with a <form>): the search
  (/cases), starting one (/cases/new), the case page with its tabs
  (/instances/ID?tab=…), its print view (/instances/ID/report) and the case
  tasks of My tasks.  Every label is a catalogue key or the definition's own
  label; what a user may not see is not in the model (engine/pages/page_case*.c).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="i18n str">

  <xsl:template match="page[@name='cases']" mode="title"><xsl:value-of select="i18n:t('case.search.title')"/></xsl:template>
  <xsl:template match="page[@name='case-new']" mode="title"><xsl:value-of select="i18n:t('case.new.title')"/></xsl:template>
  <xsl:template match="page[@name='case' or @name='case-report']" mode="title">
    <xsl:value-of select="i18n:t('instance.name', i18n:t(instance/@label), instance/@id)"/>
  </xsl:template>

  <!-- Create: the definitions this user may start, grouped by module. -->
  <xsl:template match="page[@name='case-new']" mode="content">
    <h1><xsl:value-of select="i18n:t('case.new.title')"/></h1>
    <xsl:if test="not(modules/module)">
      <p class="small" id="no-case-definitions"><xsl:value-of select="i18n:t('case.new.none')"/></p>
    </xsl:if>
    <xsl:for-each select="modules/module">
      <section class="card" data-module="{@code}">
        <h2><xsl:value-of select="i18n:t(@name)"/></h2>
        <xsl:for-each select="definition">
          <form method="post" action="/workflows/{@name}/start" class="inline" id="start-{@name}" data-definition="{@name}">
            <xsl:call-template name="csrf"/>
            <button type="submit" id="start-{@name}-submit"><xsl:value-of select="i18n:t(@label)"/></button>
            <xsl:if test="@description"><span class="small"><xsl:text> </xsl:text><xsl:value-of select="i18n:t(@description)"/></span></xsl:if>
          </form>
        </xsl:for-each>
      </section>
    </xsl:for-each>
  </xsl:template>

  <!-- Search: criteria, then 50 cases a page, newest first; "next" is a keyset link. -->
  <xsl:template match="page[@name='cases']" mode="content">
    <xsl:variable name="c" select="criteria"/>
    <h1><xsl:value-of select="i18n:t('case.search.title')"/></h1>
    <form method="get" action="/cases" class="card" id="case-search">
      <xsl:if test="$c/@kind"><input type="hidden" name="kind" value="{$c/@kind}"/></xsl:if>
      <label for="q"><xsl:value-of select="i18n:t('case.search.text')"/></label>
      <input id="q" name="q" type="text" value="{$c/@q}"/>
      <label for="module"><xsl:value-of select="i18n:t('case.module')"/></label>
      <select id="module" name="module">
        <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
        <xsl:for-each select="$c/modules/module">
          <option value="{@code}"><xsl:if test="@code = $c/@module"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(string(.))"/></option>
        </xsl:for-each>
      </select>
      <label for="definition"><xsl:value-of select="i18n:t('case.definition')"/></label>
      <select id="definition" name="definition">
        <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
        <xsl:for-each select="$c/definitions/definition">
          <option value="{@name}"><xsl:if test="@name = $c/@definition"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(@label)"/></option>
        </xsl:for-each>
      </select>
      <label for="state"><xsl:value-of select="i18n:t('case.state')"/></label>
      <select id="state" name="state">
        <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
        <xsl:for-each select="$c/states/state[not(@name = preceding-sibling::state/@name)]">
          <option value="{@name}"><xsl:if test="@name = $c/@state"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(@label)"/></option>
        </xsl:for-each>
      </select>
      <label for="country"><xsl:value-of select="i18n:t('case.country')"/></label>
      <select id="country" name="country">
        <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
        <xsl:for-each select="$c/countries/country">
          <xsl:sort select="i18n:t(concat('country.', .))"/>
          <option value="{.}"><xsl:if test=". = $c/@country"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(concat('country.', .))"/></option>
        </xsl:for-each>
      </select>
      <!-- A summary field that is a choice (profession, nature of the risk, …): its values in words. -->
      <xsl:for-each select="$c/fields/field[not(@name = preceding-sibling::field/@name)]">
        <xsl:variable name="name" select="@name"/>
        <xsl:variable name="chosen" select="$c/filter[@name = $name]/@value"/>
        <label for="f-{$name}"><xsl:value-of select="i18n:t(@label)"/></label>
        <select id="f-{$name}" name="f-{$name}">
          <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
          <!-- An option source's groups become <optgroup>s (common.xsl choice-options). -->
          <xsl:call-template name="choice-options">
            <xsl:with-param name="options" select="$c/fields/field[@name = $name]/option[not(@value = preceding::option[parent::field/@name = $name]/@value)]"/>
            <xsl:with-param name="chosen" select="$chosen"/>
          </xsl:call-template>
        </select>
      </xsl:for-each>
      <label for="from"><xsl:value-of select="i18n:t('case.search.from')"/></label>
      <input id="from" name="from" type="date" value="{$c/@from}"/>
      <label for="to"><xsl:value-of select="i18n:t('case.search.to')"/></label>
      <input id="to" name="to" type="date" value="{$c/@to}"/>
      <button type="submit" id="case-search-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>
    <table tabindex="0" class="list" id="cases">
      <caption class="small"><xsl:value-of select="i18n:t('case.search.caption')"/></caption>
      <thead><tr>
        <th scope="col">#</th>
        <th scope="col"><xsl:value-of select="i18n:t('case.definition')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.summary')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.state')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.sender')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.created')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="cases/case">
          <tr data-case="{@id}" data-state="{@state}" data-definition="{@definition}" data-module="{@module}">
            <td><a href="/instances/{@id}"><xsl:value-of select="@id"/></a></td>
            <td><a href="/instances/{@id}"><xsl:value-of select="i18n:t(@label)"/></a><br/><span class="small"><xsl:value-of select="i18n:t(@module-name)"/></span></td>
            <td>
              <xsl:for-each select="summary">
                <span data-field="{@name}"><xsl:value-of select="i18n:t(@label)"/>: <xsl:choose><xsl:when test="@value-label"><xsl:value-of select="i18n:t(string(@value-label))"/></xsl:when><xsl:otherwise><xsl:value-of select="i18n:date(string(.))"/></xsl:otherwise></xsl:choose></span>
                <xsl:if test="position() != last()"><br/></xsl:if>
              </xsl:for-each>
            </td>
            <td><xsl:value-of select="i18n:t(@state-label)"/></td>
            <td><xsl:value-of select="@authority"/> (<xsl:value-of select="i18n:t(concat('country.', @country))"/>)</td>
            <td><xsl:value-of select="i18n:date(@created)"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="not(cases/case)"><p class="small" id="no-cases"><xsl:value-of select="i18n:t('case.search.none')"/></p></xsl:if>
    <!-- The criteria as a query string, for the first and the next page. -->
    <xsl:variable name="query">
      <xsl:text>q=</xsl:text><xsl:value-of select="str:encode-uri(string($c/@q), true())"/>
      <xsl:for-each select="$c/@module | $c/@definition | $c/@state | $c/@country | $c/@from | $c/@to | $c/@kind">
        <xsl:value-of select="concat('&amp;', name(), '=', str:encode-uri(string(.), true()))"/>
      </xsl:for-each>
      <xsl:for-each select="$c/filter">
        <xsl:value-of select="concat('&amp;f-', @name, '=', @value)"/>
      </xsl:for-each>
    </xsl:variable>
    <p>
      <xsl:if test="$c/@before">
        <a id="first-page" href="/cases?{$query}"><xsl:value-of select="i18n:t('case.page.first')"/></a>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:if test="cases/@next">
        <a id="next-page" href="/cases?{$query}&amp;before={cases/@next}"><xsl:value-of select="i18n:t('case.page.next')"/></a>
      </xsl:if>
    </p>
  </xsl:template>

  <!-- The case's heading: what, number, state, module, sender; copy and print. -->
  <xsl:template name="case-head">
    <xsl:param name="print"/>
    <xsl:variable name="c" select="/page/instance"/>
    <h1><xsl:value-of select="i18n:t('instance.name', i18n:t($c/@label), $c/@id)"/></h1>
    <p>
      <xsl:value-of select="i18n:t('case.state')"/><xsl:text> </xsl:text>
      <strong id="state" data-state="{$c/@state}"><xsl:value-of select="i18n:t($c/@state-label)"/></strong>
      <xsl:text> · </xsl:text><xsl:value-of select="i18n:t($c/@module-name)"/>
      <xsl:text> · </xsl:text><xsl:value-of select="$c/@authority"/> (<xsl:value-of select="i18n:t(concat('country.', $c/@country))"/>)
      <xsl:text> · </xsl:text><xsl:value-of select="i18n:date($c/@created)"/>
      <xsl:if test="not($print) and $c/@report = 'open'">
        <xsl:text> · </xsl:text><a href="/instances/{$c/@id}/report" id="case-report"><xsl:value-of select="i18n:t('case.report')"/></a>
      </xsl:if>
    </p>
    <xsl:if test="not($print) and $c/@may-copy">
      <form method="post" action="/instances/{$c/@id}/copy" class="inline" id="case-copy">
        <xsl:call-template name="csrf"/>
        <button type="submit" id="case-copy-submit"><xsl:value-of select="i18n:t('case.copy')"/></button>
      </form>
    </xsl:if>
  </xsl:template>

  <xsl:template match="page[@name='case']" mode="content">
    <xsl:variable name="c" select="instance"/>
    <xsl:variable name="base" select="concat('/instances/', $c/@id)"/>
    <xsl:call-template name="case-head"/>
    <nav class="tabs" aria-label="{i18n:t('case.tabs')}">
      <xsl:for-each select="tabs/tab">
        <a href="{$base}?tab={@name}" id="tab-{@name}" data-tab="{@name}">
          <xsl:if test="@name = /page/@tab"><xsl:attribute name="aria-current">page</xsl:attribute><xsl:attribute name="class">current</xsl:attribute></xsl:if>
          <xsl:value-of select="i18n:t(concat('case.tab.', @name))"/>
        </a>
      </xsl:for-each>
    </nav>
    <section id="panel-{/page/@tab}" class="panel open" data-tab="{/page/@tab}">
      <xsl:apply-templates select="form | recipients | comments | closure | documents | log" mode="case"/>
      <xsl:if test="/page/@tab = 'closure' and not(closure/comment)">
        <p class="small" id="no-closure"><xsl:value-of select="i18n:t('case.closure.none')"/></p>
      </xsl:if>
    </section>
    <xsl:if test="transitions/transition">
      <div class="actions" id="actions">
        <h2><xsl:value-of select="i18n:t('instance.actions')"/></h2>
        <xsl:call-template name="transition-forms">
          <xsl:with-param name="list" select="transitions/transition"/>
          <xsl:with-param name="id" select="$c/@id"/>
          <xsl:with-param name="rev" select="transitions/@rev"/>
          <xsl:with-param name="next" select="transitions/@next"/>
        </xsl:call-template>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The print view: every tab, one after the other, no forms. -->
  <xsl:template match="page[@name='case-report']" mode="content">
    <div class="report" id="case-report-view">
      <xsl:call-template name="case-head"><xsl:with-param name="print" select="true()"/></xsl:call-template>
      <xsl:for-each select="report/*">
        <section class="report-part" data-part="{local-name()}">
          <h2><xsl:value-of select="i18n:t(concat('case.tab.', local-name()))"/></h2>
          <xsl:apply-templates select="." mode="case"/>
        </section>
      </xsl:for-each>
    </div>
  </xsl:template>

  <!-- Case tab: one version of the form; the versions, the one shown marked. -->
  <xsl:template match="form" mode="case">
    <xsl:variable name="id" select="/page/instance/@id"/>
    <xsl:if test="@versions &gt; 1 and /page/@name = 'case'">
      <nav class="versions" aria-label="{i18n:t('case.versions')}" id="versions">
        <xsl:value-of select="i18n:t('case.versions')"/><xsl:text> </xsl:text>
        <xsl:call-template name="version-links">
          <xsl:with-param name="n" select="1"/>
          <xsl:with-param name="last" select="@versions"/>
          <xsl:with-param name="shown" select="@version"/>
          <xsl:with-param name="id" select="$id"/>
        </xsl:call-template>
      </nav>
    </xsl:if>
    <p class="small" id="form-version" data-version="{@version}">
      <xsl:value-of select="i18n:t('case.page.version', string(@version), string(@versions))"/>
      <xsl:if test="@sealed = 'true'"><xsl:text> · </xsl:text><xsl:value-of select="i18n:t('case.page.sealed')"/></xsl:if>
    </p>
    <dl class="fields" id="case-form">
      <xsl:for-each select="field">
        <dt data-field="{@name}">
          <xsl:value-of select="i18n:t(@label)"/>
          <xsl:if test="@changed = 'true'"><xsl:text> </xsl:text><span class="changed" data-changed="{@name}"><xsl:value-of select="i18n:t('case.page.changed')"/></span></xsl:if>
        </dt>
        <dd data-field="{@name}">
          <xsl:choose>
            <xsl:when test="value">
              <xsl:for-each select="value"><xsl:call-template name="country-value"/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each>
            </xsl:when>
            <xsl:when test="@type = 'file' and @document">
              <a href="/instances/{$id}/documents/{@document}"><xsl:value-of select="."/></a>
            </xsl:when>
            <xsl:when test="@value-label"><xsl:value-of select="i18n:t(string(@value-label))"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="i18n:date(string(.))"/></xsl:otherwise>
          </xsl:choose>
        </dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <xsl:template name="version-links">
    <xsl:param name="n"/>
    <xsl:param name="last"/>
    <xsl:param name="shown"/>
    <xsl:param name="id"/>
    <a href="/instances/{$id}?tab=case&amp;version={$n}" data-version="{$n}">
      <xsl:if test="$n = $shown"><xsl:attribute name="aria-current">page</xsl:attribute><xsl:attribute name="class">current</xsl:attribute></xsl:if>
      <xsl:value-of select="$n"/>
    </a>
    <xsl:text> </xsl:text>
    <xsl:if test="$n &lt; $last">
      <xsl:call-template name="version-links">
        <xsl:with-param name="n" select="$n + 1"/>
        <xsl:with-param name="last" select="$last"/>
        <xsl:with-param name="shown" select="$shown"/>
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- Recipients, a table per country. -->
  <xsl:template match="recipients" mode="case">
    <xsl:variable name="roles" select="/page/instance/roles"/>
    <xsl:if test="not(country)"><p class="small" id="no-recipients"><xsl:value-of select="i18n:t('case.recipients.none')"/></p></xsl:if>
    <xsl:for-each select="country">
      <table tabindex="0" class="list recipients" data-country="{@code}">
        <caption><xsl:value-of select="i18n:t('case.recipients.country', i18n:t(concat('country.', @code)))"/></caption>
        <thead><tr>
          <th scope="col"><xsl:value-of select="i18n:t('case.recipients.authority')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.recipients.role')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.state')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.recipients.since')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.recipients.added-by')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="recipient">
            <xsl:variable name="role" select="$roles/role[@name = current()/@role]"/>
            <tr data-authority="{@authority-id}" data-role="{@role}" data-state="{@state}">
              <td><xsl:value-of select="."/></td>
              <td><xsl:choose><xsl:when test="$role/@label"><xsl:value-of select="i18n:t($role/@label)"/></xsl:when><xsl:otherwise><xsl:value-of select="@role"/></xsl:otherwise></xsl:choose></td>
              <td><xsl:choose><xsl:when test="$role/state[@name = current()/@state]/@label"><xsl:value-of select="i18n:t($role/state[@name = current()/@state]/@label)"/></xsl:when><xsl:otherwise><xsl:value-of select="@state"/></xsl:otherwise></xsl:choose></td>
              <td><xsl:value-of select="i18n:date(@since)"/></td>
              <td><xsl:value-of select="@added-by"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:for-each>
  </xsl:template>

  <!-- One comment: who, when, its type; withdrawn ones say so, with the reason. -->
  <xsl:template match="comment" mode="case">
    <xsl:variable name="type" select="/page/instance/comment-type[@name = current()/@type]"/>
    <article class="comment card" id="comment-{@id}" data-comment="{@id}" data-type="{@type}">
      <xsl:if test="@withdrawn"><xsl:attribute name="data-withdrawn">true</xsl:attribute></xsl:if>
      <p class="small">
        <strong><xsl:choose><xsl:when test="$type/@label"><xsl:value-of select="i18n:t($type/@label)"/></xsl:when><xsl:otherwise><xsl:value-of select="@type"/></xsl:otherwise></xsl:choose></strong>
        <xsl:text> · </xsl:text><xsl:value-of select="@by"/> (<xsl:value-of select="@authority"/>, <xsl:value-of select="i18n:t(concat('country.', @country))"/>)
        <xsl:text> · </xsl:text><xsl:value-of select="i18n:date(@at)"/>
      </p>
      <xsl:if test="@withdrawn">
        <p class="withdrawn" data-withdrawn="{@id}"><xsl:value-of select="i18n:t('case.comment.withdrawn')"/>
          <xsl:if test="reason"><xsl:text>: </xsl:text><span class="reason"><xsl:value-of select="reason"/></span></xsl:if>
        </p>
      </xsl:if>
      <xsl:if test="@erased"><p class="small"><xsl:value-of select="i18n:t('case.comment.erased')"/></p></xsl:if>
      <xsl:if test="body"><p class="body"><xsl:value-of select="body"/></p></xsl:if>
    </article>
  </xsl:template>

  <xsl:template match="comments" mode="case">
    <xsl:call-template name="page-links"><xsl:with-param name="list" select="."/><xsl:with-param name="tab" select="'comments'"/></xsl:call-template>
    <xsl:if test="not(comment)"><p class="small" id="no-comments"><xsl:value-of select="i18n:t('case.comments.none')"/></p></xsl:if>
    <div id="comments"><xsl:apply-templates select="comment" mode="case"/></div>
  </xsl:template>

  <!-- Closure: each proposal with the objections that answer it beside it. -->
  <xsl:template match="closure" mode="case">
    <xsl:variable name="all" select="comment"/>
    <xsl:for-each select="comment[not(@answers) or not(@answers = $all/@id)]">
      <div class="closure-pair" data-proposal="{@id}">
        <div class="proposal"><xsl:apply-templates select="." mode="case"/></div>
        <div class="objections">
          <xsl:variable name="objections" select="$all[@answers = current()/@id]"/>
          <xsl:if test="not($objections)"><p class="small"><xsl:value-of select="i18n:t('case.closure.no-objection')"/></p></xsl:if>
          <xsl:apply-templates select="$objections" mode="case"/>
        </div>
      </div>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="documents" mode="case">
    <xsl:variable name="id" select="/page/instance/@id"/>
    <xsl:if test="not(document)"><p class="small" id="no-documents"><xsl:value-of select="i18n:t('case.documents.none')"/></p></xsl:if>
    <xsl:if test="document">
      <table tabindex="0" class="list" id="case-documents">
        <thead><tr>
          <th scope="col"><xsl:value-of select="i18n:t('case.documents.file')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.documents.size')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.documents.with')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.when')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="document">
            <tr data-document="{@id}" data-input="{@input}">
              <td><a href="/instances/{$id}/documents/{@id}"><xsl:value-of select="."/></a></td>
              <td><xsl:value-of select="@size"/> B</td>
              <td>
                <xsl:choose>
                  <xsl:when test="@field-label"><xsl:value-of select="i18n:t(@field-label)"/></xsl:when>
                  <xsl:otherwise><xsl:call-template name="event-label"/></xsl:otherwise>
                </xsl:choose>
              </td>
              <td><xsl:value-of select="i18n:date(@at)"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:if>
  </xsl:template>

  <xsl:template match="log" mode="case">
    <xsl:call-template name="page-links"><xsl:with-param name="list" select="."/><xsl:with-param name="tab" select="'log'"/></xsl:call-template>
    <table tabindex="0" class="list" id="case-log">
      <thead><tr>
        <th scope="col">#</th>
        <th scope="col"><xsl:value-of select="i18n:t('case.when')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.log.event')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.log.change')"/></th>
        <th scope="col"><xsl:value-of select="i18n:t('case.log.who')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="entry">
          <tr data-seq="{@seq}" data-event="{@event}">
            <td><xsl:value-of select="@seq"/></td>
            <td><xsl:value-of select="i18n:date(@at)"/></td>
            <td><xsl:call-template name="event-label"/></td>
            <td>
              <xsl:if test="@from != ''"><xsl:value-of select="i18n:t(@from-label)"/> → </xsl:if>
              <xsl:value-of select="i18n:t(@to-label)"/>
            </td>
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

  <!-- Older and newer pages of a keyset-paged list (comments, log). -->
  <xsl:template name="page-links">
    <xsl:param name="list"/>
    <xsl:param name="tab"/>
    <xsl:if test="/page/@name = 'case' and ($list/@older or $list/@newer)">
      <p class="pages">
        <xsl:if test="$list/@older"><a id="{$tab}-older" href="/instances/{/page/instance/@id}?tab={$tab}&amp;before={$list/@older}"><xsl:value-of select="i18n:t('case.page.older')"/></a><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="$list/@newer"><a id="{$tab}-newer" href="/instances/{/page/instance/@id}?tab={$tab}&amp;after={$list/@newer}"><xsl:value-of select="i18n:t('case.page.newer')"/></a></xsl:if>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- My tasks: the cases waiting for this user (called from the tasks page). -->
  <xsl:template match="case-tasks" mode="case">
    <xsl:if test="case-task">
      <h2 id="case-tasks-title"><xsl:value-of select="i18n:t('case.tasks.title')"/></h2>
      <table tabindex="0" class="list" id="case-tasks">
        <thead><tr>
          <th scope="col"><xsl:value-of select="i18n:t('tasks.what')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.definition')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.state')"/></th>
          <th scope="col"><xsl:value-of select="i18n:t('case.updated')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="case-task">
            <tr data-case="{@id}" data-event="{@event}">
              <td><a href="/instances/{@id}"><xsl:value-of select="i18n:t(@event-label)"/></a></td>
              <td><xsl:value-of select="i18n:t('instance.name', i18n:t(@label), @id)"/><br/><span class="small"><xsl:value-of select="i18n:t(@module-name)"/></span></td>
              <td><xsl:value-of select="i18n:t(@state-label)"/></td>
              <td><xsl:value-of select="i18n:date(@updated)"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

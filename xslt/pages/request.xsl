<?xml version="1.0" encoding="UTF-8"?>
<!--
  request.xsl — information requests: the list, a new draft (module,
  responder, the person concerned, the chosen questions), and the request
  page: its data, the questions in the reader's language with their answers
  (a form for the responder's answerer), and the actions of
  workflows/information-request.xml this user may take.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='requests']" mode="title"><xsl:value-of select="i18n:t('request.list.title')"/></xsl:template>
  <xsl:template match="page[@name='request-new']" mode="title"><xsl:value-of select="i18n:t('request.new.title')"/></xsl:template>
  <xsl:template match="page[@name='request']" mode="title"><xsl:call-template name="subject"><xsl:with-param name="r" select="request"/></xsl:call-template></xsl:template>
  <xsl:template match="page[@name='request-edit']" mode="title"><xsl:value-of select="i18n:t('request.edit.title')"/></xsl:template>

  <!-- A subject, or in its place what retention says of it (sql/016_retention_personal.sql). -->
  <xsl:template name="subject">
    <xsl:param name="r"/>
    <xsl:choose>
      <xsl:when test="$r/@texts-hidden"><span class="small" data-hidden="subject"><xsl:value-of select="i18n:t('request.texts-hidden')"/></span></xsl:when>
      <xsl:when test="$r/@subject"><xsl:value-of select="$r/@subject"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$r"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="page[@name='tasks']" mode="title"><xsl:value-of select="i18n:t('tasks.title')"/></xsl:template>
  <xsl:template match="page[@name='tasks']" mode="content">
    <h1><xsl:value-of select="i18n:t('tasks.title')"/></h1>
    <xsl:if test="user/@access-manager">
      <p><a href="/tasks/validations"><xsl:value-of select="i18n:t('validations.title')"/></a></p>
    </xsl:if>
    <table tabindex="0" class="list" id="tasks">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('tasks.what')"/></th>
        <th><xsl:value-of select="i18n:t('request.subject')"/></th>
        <th><xsl:value-of select="i18n:t('request.reply-date')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="tasks/task">
          <tr data-request="{@request}" data-task="{@kind}">
            <xsl:if test="@overdue"><xsl:attribute name="class">overdue</xsl:attribute><xsl:attribute name="data-overdue">true</xsl:attribute></xsl:if>
            <td><xsl:value-of select="i18n:t(concat('tasks.', @kind))"/></td>
            <td><a href="/requests/{@request}"><xsl:call-template name="subject"><xsl:with-param name="r" select="."/></xsl:call-template></a></td>
            <td><xsl:value-of select="i18n:date(@due)"/>
              <xsl:if test="@overdue"><xsl:text> </xsl:text><span class="overdue"><xsl:value-of select="i18n:t('request.overdue')"/></span></xsl:if>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="not(tasks/task) and not(case-tasks/case-task)"><p class="small" id="no-tasks"><xsl:value-of select="i18n:t('tasks.none')"/></p></xsl:if>
    <xsl:apply-templates select="case-tasks" mode="case"/>
  </xsl:template>

  <xsl:template match="page[@name='requests']" mode="content">
    <xsl:variable name="c" select="criteria"/>
    <h1><xsl:value-of select="i18n:t('request.list.title')"/></h1>
    <p><a href="/requests/new" id="new-request"><xsl:value-of select="i18n:t('request.new.title')"/></a></p>
    <form method="get" action="/requests" class="card" id="request-search">
      <label for="q"><xsl:value-of select="i18n:t('request.search.text')"/></label>
      <input id="q" name="q" type="text" value="{$c/@q}"/>
      <label for="party"><xsl:value-of select="i18n:t('request.search.party')"/></label>
      <input id="party" name="party" type="text" value="{$c/@party}"/>
      <label for="module"><xsl:value-of select="i18n:t('access.module')"/></label>
      <!-- Choices in words, sent as their codes (issue 16: "Answered" found nothing). -->
      <select id="module" name="module">
        <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
        <xsl:for-each select="$c/modules/module">
          <option value="{@code}"><xsl:if test="@code = $c/@module"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(string(.))"/></option>
        </xsl:for-each>
      </select>
      <label for="state"><xsl:value-of select="i18n:t('authority.status')"/></label>
      <select id="state" name="state">
        <option value=""><xsl:value-of select="i18n:t('case.search.any')"/></option>
        <xsl:for-each select="$c/states/state">
          <option value="{@name}"><xsl:if test="@name = $c/@state"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(concat('request.state.', @name))"/></option>
        </xsl:for-each>
      </select>
      <label for="from"><xsl:value-of select="i18n:t('request.search.from')"/></label>
      <input id="from" name="from" type="date" value="{$c/@from}"/>
      <label for="to"><xsl:value-of select="i18n:t('request.search.to')"/></label>
      <input id="to" name="to" type="date" value="{$c/@to}"/>
      <label class="inline"><input type="checkbox" name="overdue" value="1"><xsl:if test="$c/@overdue != ''"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
        <xsl:text> </xsl:text><xsl:value-of select="i18n:t('request.overdue')"/></label>
      <label for="sort"><xsl:value-of select="i18n:t('request.search.sort')"/></label>
      <select id="sort" name="sort">
        <option value=""><xsl:value-of select="i18n:t('request.search.sort.newest')"/></option>
        <option value="reply"><xsl:if test="$c/@sort = 'reply'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('request.reply-date')"/></option>
        <option value="state"><xsl:if test="$c/@sort = 'state'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('authority.status')"/></option>
      </select>
      <button type="submit" id="request-search-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>
    <p class="small" id="request-count">
      <xsl:choose>
        <!-- Keyset pages count no total: a full page says there are more. -->
        <xsl:when test="requests/@next"><xsl:value-of select="i18n:t('request.search.more', '50')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="i18n:plural('plural.requests', requests/@total)"/></xsl:otherwise>
      </xsl:choose>
    </p>
    <table tabindex="0" class="list" id="requests">
      <thead><tr>
        <th>#</th><th><xsl:value-of select="i18n:t('request.subject')"/></th>
        <th><xsl:value-of select="i18n:t('request.requester')"/></th>
        <th><xsl:value-of select="i18n:t('request.responder')"/></th>
        <th><xsl:value-of select="i18n:t('authority.status')"/></th>
        <th><xsl:value-of select="i18n:t('request.reply-date')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="requests/request">
          <tr data-request="{@id}" data-state="{@state}">
            <xsl:if test="@overdue"><xsl:attribute name="class">overdue</xsl:attribute></xsl:if>
            <td><xsl:value-of select="@id"/></td>
            <td><a href="/requests/{@id}"><xsl:call-template name="subject"><xsl:with-param name="r" select="."/></xsl:call-template></a></td>
            <td><xsl:value-of select="@requester"/></td>
            <td><xsl:value-of select="@responder"/></td>
            <td><xsl:value-of select="i18n:t(concat('request.state.', @state))"/></td>
            <td><xsl:value-of select="i18n:date(@reply-date)"/>
              <xsl:if test="@overdue"> <strong class="error"><xsl:value-of select="i18n:t('request.overdue')"/></strong></xsl:if></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="requests/@next">
      <p><a id="next-page" href="/requests?q={$c/@q}&amp;party={$c/@party}&amp;module={$c/@module}&amp;state={$c/@state}&amp;from={$c/@from}&amp;to={$c/@to}&amp;overdue={$c/@overdue}&amp;sort={$c/@sort}&amp;after={requests/@next}&amp;key={requests/@next-key}"><xsl:value-of select="i18n:t('request.search.next')"/></a></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="page[@name='request-new']" mode="content">
    <h1><xsl:value-of select="i18n:t('request.new.title')"/></h1>
    <form method="get" action="/requests/new" class="card" id="module-form">
      <label for="module"><xsl:value-of select="i18n:t('access.module')"/></label>
      <select id="module" name="module">
        <xsl:for-each select="modules/module">
          <option value="{@code}"><xsl:if test="@selected"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(string(.))"/></option>
        </xsl:for-each>
      </select>
      <button type="submit" id="module-submit"><xsl:value-of select="i18n:t('request.choose-module')"/></button>
    </form>
    <xsl:if test="not(modules/module)"><p class="small" id="no-modules"><xsl:value-of select="i18n:t('request.no-modules')"/></p></xsl:if>
    <xsl:if test="form">
      <xsl:call-template name="form-refused"/>
      <form method="post" action="/requests/new" class="card" id="request-form">
        <xsl:call-template name="csrf"/>
        <input type="hidden" name="module" value="{form/@module}"/>
        <xsl:call-template name="request-fields"/>
        <button type="submit" id="request-submit"><xsl:value-of select="i18n:t('request.save-draft')"/></button>
      </form>
    </xsl:if>
  </xsl:template>

  <!-- The fields of a draft, on the new request's form and the edit page. -->
  <xsl:template name="request-fields">
        <xsl:call-template name="field">
          <xsl:with-param name="name" select="'responder'"/><xsl:with-param name="type" select="'select'"/>
          <xsl:with-param name="choices" select="/page/responders/authority"/><xsl:with-param name="required" select="true()"/>
        </xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="name" select="'subject'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
        <xsl:call-template name="field"><xsl:with-param name="name" select="'context'"/><xsl:with-param name="type" select="'textarea'"/></xsl:call-template>
        <label class="inline"><input type="checkbox" name="no_personal_texts" value="1" id="no_personal_texts">
          <xsl:if test="/page/form/field[@name = 'no_personal_texts']/@value != ''"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
        </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t('field.no_personal_texts')"/></label>
        <p class="small"><xsl:value-of select="i18n:t('request.no-personal-texts.help')"/></p>
        <fieldset>
          <legend><xsl:value-of select="i18n:t('request.person')"/></legend>
          <xsl:call-template name="field"><xsl:with-param name="name" select="'person_name'"/></xsl:call-template>
          <xsl:call-template name="field"><xsl:with-param name="name" select="'person_birth_date'"/><xsl:with-param name="type" select="'date'"/></xsl:call-template>
          <xsl:call-template name="field">
            <xsl:with-param name="name" select="'person_nationality'"/><xsl:with-param name="type" select="'select'"/>
            <xsl:with-param name="choices" select="/page/choices/country"/>
            <xsl:with-param name="prefix" select="'country.'"/>
          </xsl:call-template>
          <xsl:call-template name="field"><xsl:with-param name="name" select="'person_registration'"/></xsl:call-template>
        </fieldset>
        <xsl:call-template name="field"><xsl:with-param name="name" select="'reply_date'"/><xsl:with-param name="type" select="'date'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
        <fieldset id="questions">
          <legend><xsl:value-of select="i18n:t('request.questions')"/> *</legend>
          <xsl:for-each select="/page/questions/question">
            <label class="inline"><input type="checkbox" name="question" value="{@code}" id="q-{@code}">
              <xsl:if test="@checked"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input><xsl:text> </xsl:text><xsl:value-of select="."/></label>
          </xsl:for-each>
          <xsl:if test="/page/form/field[@name='questions']/@error or /page/form/@refused and not(/page/questions/question/@checked)">
            <p class="error" data-field="questions" data-rule="{/page/form/field[@name='questions']/@error}"><xsl:value-of select="i18n:t('request.choose-questions')"/></p>
          </xsl:if>
        </fieldset>
  </xsl:template>

  <!--
    The edit page of a draft, for its author (the transition "edit" of
    workflows/information-request.xml): the fields of a new request, its
    documents to remove and one to add; the revision it was drawn from, so a
    change meanwhile is refused.
  -->
  <xsl:template match="page[@name='request-edit']" mode="content">
    <xsl:variable name="r" select="request"/>
    <h1><xsl:value-of select="i18n:t('request.edit.title')"/></h1>
    <p><a href="/requests/{$r/@id}" id="back-to-request"><xsl:value-of select="$r/@subject"/></a>
      <xsl:text> · </xsl:text><xsl:value-of select="i18n:t($r/@module-name)"/></p>
    <xsl:call-template name="form-refused"/>
    <form method="post" action="/requests/{$r/@id}/edit" enctype="multipart/form-data" class="card" id="request-edit-form">
      <xsl:call-template name="csrf"/>
      <input type="hidden" name="rev" value="{$r/@rev}"/>
      <xsl:call-template name="request-fields"/>
      <fieldset id="edit-documents">
        <legend><xsl:value-of select="i18n:t('request.tab.documents')"/></legend>
        <xsl:for-each select="$r/documents/document">
          <label class="inline"><input type="checkbox" name="remove-document" value="{@id}" id="remove-document-{@id}">
            <xsl:if test="@remove"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t('request.edit.remove', .)"/></label>
        </xsl:for-each>
        <label for="document"><xsl:value-of select="i18n:t('request.edit.add-document')"/></label>
        <input type="file" id="document" name="document"/>
        <xsl:for-each select="/page/form/field[@name = 'document']/@error">
          <p class="error" data-field="document" data-rule="{.}"><xsl:value-of select="i18n:t(concat('form.error.', .))"/></p>
        </xsl:for-each>
      </fieldset>
      <button type="submit" id="request-edit-submit"><xsl:value-of select="i18n:t('request.edit.save')"/></button>
    </form>
  </xsl:template>

  <!--
    The request page: the tabs Request, Questions and answers, Documents and
    Log are panels of one page; the open one comes from ?tab= (the others are
    hidden by the stylesheet, and all of them print).  ?tab=print shows every
    panel without forms.
  -->
  <xsl:template match="page[@name='request']" mode="content">
    <xsl:variable name="r" select="request"/>
    <xsl:variable name="print" select="@tab = 'print'"/>
    <xsl:variable name="base" select="concat('/requests/', $r/@id)"/>
    <h1><xsl:call-template name="subject"><xsl:with-param name="r" select="$r"/></xsl:call-template></h1>
    <p>
      <xsl:value-of select="i18n:t('authority.status')"/><xsl:text> </xsl:text>
      <strong id="request-state" data-state="{$r/@state}"><xsl:value-of select="i18n:t(concat('request.state.', $r/@state))"/></strong>
      <xsl:if test="$r/@overdue"><xsl:text> </xsl:text><span class="overdue" id="request-overdue"><xsl:value-of select="i18n:t('request.overdue')"/></span></xsl:if>
      <xsl:text> · </xsl:text><xsl:value-of select="i18n:t($r/@module-name)"/>
      <xsl:if test="not($print)">
        <xsl:text> · </xsl:text><a href="{$base}?tab=print" id="print-view"><xsl:value-of select="i18n:t('request.print')"/></a>
      </xsl:if>
    </p>
    <xsl:if test="not($print)">
      <nav class="tabs" aria-label="{i18n:t('request.tabs')}">
        <xsl:call-template name="request-tab"><xsl:with-param name="t" select="'request'"/><xsl:with-param name="base" select="$base"/></xsl:call-template>
        <xsl:call-template name="request-tab"><xsl:with-param name="t" select="'questions'"/><xsl:with-param name="base" select="$base"/></xsl:call-template>
        <xsl:call-template name="request-tab"><xsl:with-param name="t" select="'documents'"/><xsl:with-param name="base" select="$base"/></xsl:call-template>
        <xsl:call-template name="request-tab"><xsl:with-param name="t" select="'log'"/><xsl:with-param name="base" select="$base"/></xsl:call-template>
      </nav>
    </xsl:if>

    <section id="panel-request" class="panel">
      <xsl:if test="$print or @tab = 'request'"><xsl:attribute name="class">panel open</xsl:attribute></xsl:if>
      <h2 class="print-only"><xsl:value-of select="i18n:t('request.tab.request')"/></h2>
      <dl class="fields">
        <dt><xsl:value-of select="i18n:t('request.requester')"/></dt><dd data-field="requester"><xsl:value-of select="$r/@requester"/> (<xsl:value-of select="$r/@requester-country"/>)</dd>
        <dt><xsl:value-of select="i18n:t('request.responder')"/></dt><dd data-field="responder"><xsl:value-of select="$r/@responder"/> (<xsl:value-of select="$r/@responder-country"/>)</dd>
        <dt><xsl:value-of select="i18n:t('request.reply-date')"/></dt><dd data-field="reply-date"><xsl:value-of select="i18n:date($r/@reply-date)"/></dd>
        <xsl:if test="$r/@agreed-date != ''"><dt><xsl:value-of select="i18n:t('request.agreed-date')"/></dt><dd data-field="agreed-date"><xsl:value-of select="i18n:date($r/@agreed-date)"/></dd></xsl:if>
        <xsl:if test="$r/@allocated != ''"><dt><xsl:value-of select="i18n:t('request.allocated')"/></dt><dd data-field="allocated"><xsl:value-of select="$r/@allocated"/></dd></xsl:if>
        <dt><xsl:value-of select="i18n:t('request.context')"/></dt><dd data-field="context">
          <xsl:choose>
            <xsl:when test="$r/@texts-hidden"><span class="small" data-hidden="context"><xsl:value-of select="i18n:t('request.texts-hidden')"/></span></xsl:when>
            <xsl:otherwise><xsl:value-of select="$r/context"/></xsl:otherwise>
          </xsl:choose>
        </dd>
      </dl>
      <h2><xsl:value-of select="i18n:t('request.person')"/></h2>
      <xsl:choose>
        <xsl:when test="$r/person/@blocked">
          <p class="small" id="personal-data-blocked"><xsl:value-of select="i18n:t('request.personal-blocked')"/></p>
          <xsl:if test="$r/person/@may-disclose">
            <form method="post" action="/requests/{$r/@id}/disclose" class="card" id="disclose-form">
              <xsl:call-template name="csrf"/>
              <label for="justification"><xsl:value-of select="i18n:t('request.justification')"/></label>
              <textarea id="justification" name="justification" rows="3" required="required"/>
              <button type="submit" id="disclose-submit"><xsl:value-of select="i18n:t('request.disclose')"/></button>
            </form>
          </xsl:if>
        </xsl:when>
        <xsl:otherwise>
          <dl class="fields" id="person">
            <xsl:for-each select="$r/person/@*">
              <dt><xsl:value-of select="i18n:t(concat('request.person.', name()))"/></dt><dd data-field="{name()}"><xsl:value-of select="."/></dd>
            </xsl:for-each>
          </dl>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$r/related">
        <h2><xsl:value-of select="i18n:t('request.related')"/></h2>
        <ul id="related">
          <xsl:for-each select="$r/related">
            <li data-relation="{@relation}"><xsl:value-of select="i18n:t(concat('request.related.', @relation))"/>:
              <a href="/requests/{@id}"><xsl:call-template name="subject"><xsl:with-param name="r" select="."/></xsl:call-template></a></li>
          </xsl:for-each>
        </ul>
      </xsl:if>
      <!-- Not on paper: the forms do not print, so neither does their heading. -->
      <xsl:if test="not($print) and transitions/transition[@event != 'split']">
        <div class="actions" id="actions">
          <h2><xsl:value-of select="i18n:t('instance.actions')"/></h2>
          <xsl:if test="transitions/transition[@event = 'edit']">
            <p><a href="{$base}/edit" id="edit-request"><xsl:value-of select="i18n:t('request.edit.title')"/></a></p>
          </xsl:if>
          <xsl:call-template name="transition-forms">
            <xsl:with-param name="list" select="transitions/transition[@event != 'split' and @event != 'edit']"/>
            <xsl:with-param name="id" select="transitions/@instance"/>
            <xsl:with-param name="rev" select="transitions/@rev"/>
            <xsl:with-param name="next" select="transitions/@next"/>
          </xsl:call-template>
        </div>
      </xsl:if>
    </section>

    <section id="panel-questions" class="panel">
      <xsl:if test="$print or @tab = 'questions'"><xsl:attribute name="class">panel open</xsl:attribute></xsl:if>
      <h2><xsl:value-of select="i18n:t('request.questions')"/></h2>
      <xsl:choose>
        <xsl:when test="$r/questions/@may-answer">
          <form method="post" action="/requests/{$r/@id}/answers" class="card" id="answers-form">
            <xsl:call-template name="csrf"/>
            <xsl:for-each select="$r/questions/question">
              <label for="answer-{@code}"><xsl:value-of select="@label"/></label>
              <xsl:choose>
                <xsl:when test="@type = 'yesno'">
                  <select id="answer-{@code}" name="answer-{@code}">
                    <option value=""><xsl:value-of select="i18n:t('instance.choose')"/></option>
                    <option value="yes"><xsl:if test="answer = 'yes'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('yesno.true')"/></option>
                    <option value="no"><xsl:if test="answer = 'no'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t('yesno.false')"/></option>
                  </select>
                </xsl:when>
                <xsl:when test="@type = 'text'">
                  <textarea id="answer-{@code}" name="answer-{@code}" rows="3"><xsl:value-of select="answer"/></textarea>
                </xsl:when>
                <xsl:otherwise>
                  <input id="answer-{@code}" name="answer-{@code}" value="{answer}">
                    <xsl:attribute name="type"><xsl:choose><xsl:when test="@type = 'date'">date</xsl:when><xsl:otherwise>text</xsl:otherwise></xsl:choose></xsl:attribute>
                  </input>
                </xsl:otherwise>
              </xsl:choose>
              <xsl:if test="@error"><p class="error" data-field="{@code}" data-rule="{@error}"><xsl:value-of select="i18n:t(concat('form.error.', @error))"/></p></xsl:if>
            </xsl:for-each>
            <button type="submit" id="answers-submit"><xsl:value-of select="i18n:t('request.save-answers')"/></button>
          </form>
        </xsl:when>
        <xsl:otherwise>
          <dl class="fields" id="answers">
            <xsl:for-each select="$r/questions/question">
              <dt data-question="{@code}"><xsl:value-of select="@label"/></dt>
              <dd data-answer="{@code}">
                <xsl:choose>
                  <xsl:when test="@hidden"><span class="small" data-hidden="answer"><xsl:value-of select="i18n:t('request.texts-hidden')"/></span></xsl:when>
                  <xsl:when test="@type = 'yesno' and answer = 'yes'"><xsl:value-of select="i18n:t('yesno.true')"/></xsl:when>
                  <xsl:when test="@type = 'yesno' and answer = 'no'"><xsl:value-of select="i18n:t('yesno.false')"/></xsl:when>
                  <!-- A choice by its label in the reader's language (the options' JSON as the model gives it). -->
                  <xsl:when test="@type = 'choice' and contains(options, concat('&quot;value&quot;: &quot;', answer, '&quot;'))">
                    <xsl:variable name="opt" select="substring-before(concat(substring-after(options, concat('&quot;value&quot;: &quot;', answer, '&quot;')), '}'), '}')"/>
                    <xsl:variable name="mine" select="substring-before(substring-after($opt, concat('&quot;', /page/@lang, '&quot;: &quot;')), '&quot;')"/>
                    <xsl:variable name="en" select="substring-before(substring-after($opt, '&quot;en&quot;: &quot;'), '&quot;')"/>
                    <xsl:choose>
                      <xsl:when test="$mine != ''"><xsl:value-of select="$mine"/></xsl:when>
                      <xsl:when test="$en != ''"><xsl:value-of select="$en"/></xsl:when>
                      <xsl:otherwise><xsl:value-of select="answer"/></xsl:otherwise>
                    </xsl:choose>
                  </xsl:when>
                  <xsl:when test="@type = 'date'"><xsl:value-of select="i18n:date(string(answer))"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="answer"/></xsl:otherwise>
                </xsl:choose>
              </dd>
            </xsl:for-each>
          </dl>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="transitions/transition[@event = 'split']">
        <xsl:variable name="failed" select="input[@error]"/>
        <form method="post" action="/instances/{../@instance}/fire/split" class="card" id="split-form">
          <xsl:call-template name="csrf"/>
          <input type="hidden" name="rev" value="{../@rev}"/>
          <input type="hidden" name="next" value="{../@next}"/>
          <h3><xsl:value-of select="i18n:t('request.split')"/></h3>
          <p class="small"><xsl:value-of select="i18n:t('request.split.help')"/></p>
          <xsl:for-each select="$r/questions/question">
            <label class="inline"><input type="checkbox" name="question" value="{@code}"/><xsl:text> </xsl:text><xsl:value-of select="@label"/></label>
          </xsl:for-each>
          <xsl:for-each select="../failed[@event = 'split']/error[@input = 'question']/@rule">
            <p class="error" data-input="question" data-rule="{.}"><xsl:value-of select="i18n:t(concat('instance.error.', .))"/></p>
          </xsl:for-each>
          <label for="split-authority"><xsl:value-of select="i18n:t('request.split.authority')"/></label>
          <select id="split-authority" name="authority">
            <option value=""><xsl:value-of select="i18n:t('instance.choose')"/></option>
            <xsl:for-each select="input[@name = 'authority']/option">
              <option value="{@value}">
                <xsl:if test="@value = ../@value"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                <xsl:value-of select="@label"/>
              </option>
            </xsl:for-each>
          </select>
          <xsl:for-each select="input[@name = 'authority']/@error">
            <p class="error" data-input="authority" data-rule="{.}"><xsl:value-of select="i18n:t(concat('instance.error.', .))"/></p>
          </xsl:for-each>
          <button type="submit" id="split-submit"><xsl:value-of select="i18n:t('request.split')"/></button>
        </form>
      </xsl:for-each>
    </section>

    <section id="panel-documents" class="panel">
      <xsl:if test="$print or @tab = 'documents'"><xsl:attribute name="class">panel open</xsl:attribute></xsl:if>
      <h2><xsl:value-of select="i18n:t('request.tab.documents')"/></h2>
      <xsl:choose>
        <xsl:when test="$r/documents/@blocked">
          <p class="small"><xsl:value-of select="i18n:t('request.documents.blocked')"/></p>
        </xsl:when>
        <xsl:when test="$r/documents/document">
          <table tabindex="0" id="documents" class="list">
            <thead><tr>
              <th><xsl:value-of select="i18n:t('request.documents.name')"/></th>
              <th><xsl:value-of select="i18n:t('request.documents.size')"/></th>
              <th><xsl:value-of select="i18n:t('request.documents.with')"/></th>
              <th><xsl:value-of select="i18n:t('request.documents.at')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$r/documents/document">
                <tr data-document="{@id}">
                  <td><a href="/requests/{$r/@id}/documents/{@id}"><xsl:value-of select="."/></a></td>
                  <td><xsl:value-of select="@size"/></td>
                  <td><xsl:value-of select="@event"/></td>
                  <td><xsl:value-of select="i18n:date(@at)"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise><p class="small" id="no-documents"><xsl:value-of select="i18n:t('request.documents.none')"/></p></xsl:otherwise>
      </xsl:choose>
    </section>

    <section id="panel-log" class="panel">
      <xsl:if test="$print or @tab = 'log'"><xsl:attribute name="class">panel open</xsl:attribute></xsl:if>
      <h2><xsl:value-of select="i18n:t('request.tab.log')"/></h2>
      <table tabindex="0" id="log" class="list">
        <thead><tr>
          <th><xsl:value-of select="i18n:t('request.log.at')"/></th>
          <th><xsl:value-of select="i18n:t('request.log.event')"/></th>
          <th><xsl:value-of select="i18n:t('request.log.state')"/></th>
          <th><xsl:value-of select="i18n:t('request.log.by')"/></th>
          <th><xsl:value-of select="i18n:t('request.log.details')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="$r/log/entry">
            <tr data-seq="{@seq}" data-event="{@event}">
              <td><xsl:value-of select="i18n:date(@at)"/></td>
              <xsl:choose>
                <!-- A reading of blocked personal data: who, when and why, for everyone who sees the log. -->
                <xsl:when test="@event = 'disclose'">
                  <td><xsl:value-of select="i18n:t('request.log.disclose')"/></td>
                  <td/>
                </xsl:when>
                <xsl:otherwise>
                  <td><xsl:call-template name="event-label"/></td>
                  <td><xsl:value-of select="i18n:t(concat('request.state.', @to))"/></td>
                </xsl:otherwise>
              </xsl:choose>
              <td>
                <xsl:choose>
                  <xsl:when test="@actor-kind = 'system'"><xsl:value-of select="i18n:t('request.log.system')"/></xsl:when>
                  <xsl:otherwise>
                    <xsl:value-of select="@user"/> (<xsl:value-of select="@authority"/>)
                    <xsl:if test="@actor-kind = 'mail'"><xsl:text> </xsl:text><xsl:value-of select="i18n:t('request.log.by-mail')"/></xsl:if>
                  </xsl:otherwise>
                </xsl:choose>
              </td>
              <td>
                <xsl:value-of select="text()"/>
                <xsl:call-template name="history-inputs"/>
              </td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </section>
  </xsl:template>

  <xsl:template name="request-tab">
    <xsl:param name="t"/>
    <xsl:param name="base"/>
    <a href="{$base}?tab={$t}" id="tab-{$t}">
      <xsl:if test="$t = /page/@tab"><xsl:attribute name="aria-current">page</xsl:attribute><xsl:attribute name="class">current</xsl:attribute></xsl:if>
      <xsl:value-of select="i18n:t(concat('request.tab.', $t))"/>
    </a>
  </xsl:template>

  <!--
    The helpdesk's support view of a request its authority is no party to:
    metadata only (module, authorities, dates, state), and says so; blocked
    personal data after a recorded justification, as on the request page.
  -->
  <xsl:template match="page[@name='request-support']" mode="title"><xsl:value-of select="i18n:t('request.support.title')"/><xsl:text> </xsl:text><xsl:value-of select="request/@id"/></xsl:template>
  <xsl:template match="page[@name='request-support']" mode="content">
    <xsl:variable name="r" select="request"/>
    <h1><xsl:value-of select="i18n:t('request.support.title')"/><xsl:text> </xsl:text><xsl:value-of select="$r/@id"/></h1>
    <p class="notice" id="support-view"><xsl:value-of select="i18n:t('request.support.notice')"/></p>
    <dl class="fields" id="support-metadata">
      <dt><xsl:value-of select="i18n:t('access.module')"/></dt><dd data-field="module"><xsl:value-of select="i18n:t($r/@module-name)"/></dd>
      <dt><xsl:value-of select="i18n:t('authority.status')"/></dt><dd data-field="state" data-state="{$r/@state}"><xsl:value-of select="i18n:t(concat('request.state.', $r/@state))"/></dd>
      <dt><xsl:value-of select="i18n:t('request.requester')"/></dt><dd data-field="requester"><xsl:value-of select="$r/@requester"/> (<xsl:value-of select="$r/@requester-country"/>)</dd>
      <dt><xsl:value-of select="i18n:t('request.responder')"/></dt><dd data-field="responder"><xsl:value-of select="$r/@responder"/> (<xsl:value-of select="$r/@responder-country"/>)</dd>
      <dt><xsl:value-of select="i18n:t('request.support.created')"/></dt><dd data-field="created"><xsl:value-of select="i18n:date($r/@created)"/></dd>
      <dt><xsl:value-of select="i18n:t('request.reply-date')"/></dt><dd data-field="reply-date"><xsl:value-of select="i18n:date($r/@reply-date)"/></dd>
      <xsl:if test="$r/@agreed-date != ''"><dt><xsl:value-of select="i18n:t('request.agreed-date')"/></dt><dd data-field="agreed-date"><xsl:value-of select="i18n:date($r/@agreed-date)"/></dd></xsl:if>
      <xsl:if test="$r/@closed != ''"><dt><xsl:value-of select="i18n:t('request.support.closed')"/></dt><dd data-field="closed"><xsl:value-of select="$r/@closed"/></dd></xsl:if>
    </dl>
    <xsl:choose>
      <xsl:when test="$r/person/@blocked">
        <h2><xsl:value-of select="i18n:t('request.person')"/></h2>
        <p class="small" id="personal-data-blocked"><xsl:value-of select="i18n:t('request.personal-blocked')"/></p>
        <xsl:if test="$r/person/@may-disclose">
          <form method="post" action="/requests/{$r/@id}/disclose" class="card" id="disclose-form">
            <xsl:call-template name="csrf"/>
            <label for="justification"><xsl:value-of select="i18n:t('request.justification')"/></label>
            <textarea id="justification" name="justification" rows="3" required="required"/>
            <button type="submit" id="disclose-submit"><xsl:value-of select="i18n:t('request.disclose')"/></button>
          </form>
        </xsl:if>
      </xsl:when>
      <xsl:when test="$r/person/@*">
        <h2><xsl:value-of select="i18n:t('request.person')"/></h2>
        <dl class="fields" id="person">
          <xsl:for-each select="$r/person/@*">
            <dt><xsl:value-of select="i18n:t(concat('request.person.', name()))"/></dt><dd data-field="{name()}"><xsl:value-of select="."/></dd>
          </xsl:for-each>
        </dl>
      </xsl:when>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  page.xsl — the frame of every page: head, header with menus and user, the
  page's own content (mode "content", one included file per page), footer.
  Compiled once per process. Labels come from xslt/i18n/LANG.xml through
  i18n:t('key'). Never disable-output-escaping: models carry user data.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat" indent="no"/>

  <xsl:include href="pages/common.xsl"/>
  <xsl:include href="pages/authority.xsl"/>
  <xsl:include href="pages/directory.xsl"/>
  <xsl:include href="pages/invitation.xsl"/>
  <xsl:include href="pages/user.xsl"/>
  <xsl:include href="pages/request.xsl"/>
  <xsl:include href="pages/case.xsl"/>
  <xsl:include href="pages/scoreboard.xsl"/>
  <xsl:include href="pages/security-log.xsl"/>
  <xsl:include href="pages/send-email.xsl"/>
  <xsl:include href="pages/diagram.xsl"/>
  <xsl:include href="pages/error.xsl"/>
  <xsl:include href="pages/home.xsl"/>
  <xsl:include href="pages/instance.xsl"/>
  <xsl:include href="pages/link.xsl"/>
  <xsl:include href="pages/login.xsl"/>
  <xsl:include href="pages/password.xsl"/>
  <xsl:include href="pages/workflows.xsl"/>

  <xsl:template match="/page">
    <html lang="{@lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:apply-templates select="." mode="title"/> – imiflow</title>
        <link rel="stylesheet" href="/static/imiflow.css"/>
      </head>
      <body>
        <a class="skip" href="#main"><xsl:value-of select="i18n:t('nav.skip')"/></a>
        <header class="top">
          <a class="brand" href="/">imiflow</a>
          <xsl:if test="user[@must-change='false']">
            <nav class="menu" aria-label="{i18n:t('nav.label')}">
              <ul class="groups">
                <li class="single">
                  <xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/'"/><xsl:with-param name="id" select="'nav-home'"/><xsl:with-param name="label" select="i18n:t('nav.home')"/></xsl:call-template>
                </li>
                <li class="single">
                  <xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/tasks'"/><xsl:with-param name="id" select="'nav-tasks'"/><xsl:with-param name="label" select="i18n:t('nav.tasks')"/></xsl:call-template>
                </li>
                <li class="group" id="nav-group-requests">
                  <span class="group-label" id="nav-label-requests"><xsl:value-of select="i18n:t('nav.group.requests')"/></span>
                  <ul aria-labelledby="nav-label-requests">
                    <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/requests'"/><xsl:with-param name="id" select="'nav-requests'"/><xsl:with-param name="label" select="i18n:t('nav.request-search')"/></xsl:call-template></li>
                    <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/requests/new'"/><xsl:with-param name="id" select="'nav-request-new'"/><xsl:with-param name="label" select="i18n:t('nav.request-new')"/></xsl:call-template></li>
                    <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/scoreboard'"/><xsl:with-param name="id" select="'nav-scoreboard'"/><xsl:with-param name="label" select="i18n:t('nav.scoreboard')"/></xsl:call-template></li>
                  </ul>
                </li>
                <!-- Alerts & notifications: the case pages narrowed to those kinds of module. -->
                <xsl:if test="contains(concat(' ', user/@case-kinds, ' '), ' alert ') or contains(concat(' ', user/@case-kinds, ' '), ' notification ')">
                  <li class="group" id="nav-group-cases">
                    <span class="group-label" id="nav-label-cases"><xsl:value-of select="i18n:t('nav.group.cases')"/></span>
                    <ul aria-labelledby="nav-label-cases">
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/cases/new?kind=notification+alert'"/><xsl:with-param name="path" select="'/cases/new'"/><xsl:with-param name="kind" select="'notification alert'"/><xsl:with-param name="id" select="'nav-case-new'"/><xsl:with-param name="label" select="i18n:t('nav.case-new')"/></xsl:call-template></li>
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/cases?kind=notification+alert'"/><xsl:with-param name="path" select="'/cases'"/><xsl:with-param name="kind" select="'notification alert'"/><xsl:with-param name="id" select="'nav-cases'"/><xsl:with-param name="label" select="i18n:t('nav.case-search')"/></xsl:call-template></li>
                    </ul>
                  </li>
                </xsl:if>
                <!-- Repositories & directories (issue 15): the case pages narrowed to register modules. -->
                <xsl:if test="contains(concat(' ', user/@case-kinds, ' '), ' register ')">
                  <li class="group" id="nav-group-registers">
                    <span class="group-label" id="nav-label-registers"><xsl:value-of select="i18n:t('nav.group.registers')"/></span>
                    <ul aria-labelledby="nav-label-registers">
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/cases/new?kind=register'"/><xsl:with-param name="path" select="'/cases/new'"/><xsl:with-param name="kind" select="'register'"/><xsl:with-param name="id" select="'nav-register-new'"/><xsl:with-param name="label" select="i18n:t('nav.register-new')"/></xsl:call-template></li>
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/cases?kind=register'"/><xsl:with-param name="path" select="'/cases'"/><xsl:with-param name="kind" select="'register'"/><xsl:with-param name="id" select="'nav-registers'"/><xsl:with-param name="label" select="i18n:t('nav.register-search')"/></xsl:call-template></li>
                    </ul>
                  </li>
                </xsl:if>
                <li class="group" id="nav-group-admin">
                  <span class="group-label" id="nav-label-admin"><xsl:value-of select="i18n:t('nav.group.admin')"/></span>
                  <ul aria-labelledby="nav-label-admin">
                    <xsl:if test="user/@access-manager">
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/admin/authorities'"/><xsl:with-param name="id" select="'nav-managed'"/><xsl:with-param name="label" select="i18n:t('nav.managed')"/></xsl:call-template></li>
                    </xsl:if>
                    <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/admin/my-authority'"/><xsl:with-param name="id" select="'nav-my-authority'"/><xsl:with-param name="prefix" select="concat('/authorities/', user/@authority)"/><xsl:with-param name="label" select="i18n:t('nav.my-authority')"/></xsl:call-template></li>
                    <xsl:if test="user/@access-manager">
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/admin/invitations'"/><xsl:with-param name="id" select="'nav-invitations'"/><xsl:with-param name="label" select="i18n:t('nav.invitations')"/></xsl:call-template></li>
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/tasks/validations'"/><xsl:with-param name="id" select="'nav-validations'"/><xsl:with-param name="label" select="i18n:t('nav.validations')"/></xsl:call-template></li>
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/admin/send-email'"/><xsl:with-param name="id" select="'nav-send-email'"/><xsl:with-param name="prefix" select="'/admin/sent-emails'"/><xsl:with-param name="label" select="i18n:t('nav.send-email')"/></xsl:call-template></li>
                    </xsl:if>
                    <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/authorities'"/><xsl:with-param name="id" select="'nav-search'"/><xsl:with-param name="label" select="i18n:t('nav.authority-search')"/></xsl:call-template></li>
                    <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/workflows'"/><xsl:with-param name="id" select="'nav-workflows'"/><xsl:with-param name="label" select="i18n:t('nav.workflows')"/></xsl:call-template></li>
                    <xsl:if test="user/@helpdesk and user/@administrator">
                      <li><xsl:call-template name="nav-link"><xsl:with-param name="href" select="'/admin/security-log'"/><xsl:with-param name="id" select="'nav-security-log'"/><xsl:with-param name="label" select="i18n:t('nav.security-log')"/></xsl:call-template></li>
                    </xsl:if>
                  </ul>
                </li>
              </ul>
            </nav>
          </xsl:if>
          <xsl:if test="user">
            <div class="who">
              <span id="current-user" data-username="{user/@username}">
                <xsl:value-of select="user/@name"/>
                <xsl:text> (</xsl:text><xsl:value-of select="user/@username"/><xsl:text>)</xsl:text>
              </span>
              <a href="/profile" id="nav-profile"><xsl:value-of select="i18n:t('nav.profile')"/></a>
              <a href="/password"><xsl:value-of select="i18n:t('nav.password')"/></a>
              <form method="post" action="/logout" class="inline">
                <xsl:call-template name="csrf"/>
                <button type="submit" id="logout"><xsl:value-of select="i18n:t('nav.logout')"/></button>
              </form>
            </div>
          </xsl:if>
        </header>
        <main id="main" data-page="{@name}">
          <xsl:attribute name="data-status">
            <xsl:choose>
              <xsl:when test="error/@status"><xsl:value-of select="error/@status"/></xsl:when>
              <xsl:otherwise>200</xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
          <xsl:call-template name="form-error-summary"/>
          <xsl:apply-templates select="." mode="content"/>
        </main>
        <footer>
          <xsl:value-of select="i18n:t('footer.request', @request-id)"/>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!--
    One menu entry. The page the user is on is marked for screen readers
    (aria-current) and for the eye (class "current"): a menu that only looks
    the same everywhere does not say where one is. prefix: the entry's page
    redirects there (My authority to the own authority and its tabs).
  -->
  <xsl:template name="nav-link">
    <xsl:param name="href"/>
    <xsl:param name="id"/>
    <xsl:param name="label"/>
    <xsl:param name="prefix"/>
    <!-- A link with a query (the case pages narrowed to kinds of module): its path and kind. -->
    <xsl:param name="path"/>
    <xsl:param name="kind"/>
    <a href="{$href}" id="{$id}">
      <xsl:if test="/page/@path = $href or ($prefix and (/page/@path = $prefix or starts-with(/page/@path, concat($prefix, '/')))) or ($path and /page/@path = $path and string(/page/@kind | /page/criteria/@kind) = $kind)">
        <xsl:attribute name="aria-current">page</xsl:attribute>
        <xsl:attribute name="class">current</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="$label"/>
    </a>
  </xsl:template>

  <!-- A page without its own stylesheet still renders, visibly. -->
  <xsl:template match="page" mode="title">
    <xsl:value-of select="@name"/>
  </xsl:template>
  <xsl:template match="page" mode="content">
    <h1><xsl:value-of select="@name"/></h1>
  </xsl:template>
</xsl:stylesheet>

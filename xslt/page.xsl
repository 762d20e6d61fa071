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
  <xsl:include href="pages/scoreboard.xsl"/>
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
              <ul>
                <li><a href="/"><xsl:value-of select="i18n:t('nav.home')"/></a></li>
                <li><a href="/tasks" id="nav-tasks"><xsl:value-of select="i18n:t('nav.tasks')"/></a></li>
                <li><a href="/requests" id="nav-requests"><xsl:value-of select="i18n:t('nav.requests')"/></a></li>
                <li><a href="/scoreboard" id="nav-scoreboard"><xsl:value-of select="i18n:t('nav.scoreboard')"/></a></li>
                <li><a href="/authorities" id="nav-search"><xsl:value-of select="i18n:t('nav.authorities')"/></a></li>
                <li><a href="/admin/my-authority" id="nav-my-authority"><xsl:value-of select="i18n:t('nav.my-authority')"/></a></li>
                <xsl:if test="user/@access-manager">
                  <li><a href="/admin/authorities" id="nav-managed"><xsl:value-of select="i18n:t('nav.managed')"/></a></li>
                  <li><a href="/admin/invitations" id="nav-invitations"><xsl:value-of select="i18n:t('nav.invitations')"/></a></li>
                  <li><a href="/tasks/validations" id="nav-validations"><xsl:value-of select="i18n:t('nav.validations')"/></a></li>
                </xsl:if>
                <li><a href="/workflows"><xsl:value-of select="i18n:t('nav.workflows')"/></a></li>
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
          <xsl:apply-templates select="." mode="content"/>
        </main>
        <footer>
          <xsl:value-of select="i18n:t('footer.request', @request-id)"/>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- A page without its own stylesheet still renders, visibly. -->
  <xsl:template match="page" mode="title">
    <xsl:value-of select="@name"/>
  </xsl:template>
  <xsl:template match="page" mode="content">
    <h1><xsl:value-of select="@name"/></h1>
  </xsl:template>
</xsl:stylesheet>

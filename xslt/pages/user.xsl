<?xml version="1.0" encoding="UTF-8"?>
<!--
  user.xsl — the Users tab of an authority, adding and editing a user with
  roles per module, and every user's own profile.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template name="users-tab">
    <xsl:variable name="a" select="authority"/>
    <xsl:call-template name="violations"/>
    <p>
      <a href="/authorities/{$a/@id}/users/new" id="add-user"><xsl:value-of select="i18n:t('user.add')"/></a>
      <xsl:text> · </xsl:text>
      <a href="/authorities/{$a/@id}/users.csv" id="export-users"><xsl:value-of select="i18n:t('user.export')"/></a>
    </p>
    <table tabindex="0" class="list" id="users">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('user.name')"/></th>
        <th><xsl:value-of select="i18n:t('user.username')"/></th>
        <th><xsl:value-of select="i18n:t('user.status')"/></th>
        <th><xsl:value-of select="i18n:t('user.password')"/></th>
        <th><xsl:value-of select="i18n:t('user.last-login')"/></th>
        <th><xsl:value-of select="i18n:t('user.actions')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="users/user">
          <tr data-user="{@id}" data-username="{@username}" data-status="{@status}" data-password="{@password}">
            <td><a href="/users/{@id}"><xsl:value-of select="@name"/></a><br/><span class="small"><xsl:value-of select="@email"/></span></td>
            <td><xsl:value-of select="@username"/></td>
            <td><xsl:value-of select="i18n:t(concat('user.status.', @status))"/></td>
            <td><xsl:value-of select="i18n:t(concat('user.password.', @password))"/></td>
            <td><xsl:value-of select="@last-login"/></td>
            <td>
              <form method="post" action="/users/{@id}/reset" class="inline">
                <xsl:call-template name="csrf"/>
                <button type="submit" id="reset-{@id}"><xsl:value-of select="i18n:t('user.reset')"/></button>
              </form>
              <xsl:text> </xsl:text>
              <form method="post" action="/users/{@id}/delete" class="inline">
                <xsl:call-template name="csrf"/>
                <button type="submit" id="delete-{@id}"><xsl:value-of select="i18n:t('user.delete')"/></button>
              </form>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template name="violations">
    <xsl:if test="violations/violation">
      <div class="error" role="alert" id="violations">
        <p><xsl:value-of select="i18n:t('user.violations')"/></p>
        <ul class="errors">
          <xsl:for-each select="violations/violation">
            <li data-rule="{@rule}" data-module="{@module}"><xsl:value-of select="i18n:t(concat('user.violation.', @rule), @module)"/></li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template match="page[@name='user-new' or @name='user-edit']" mode="title">
    <xsl:value-of select="i18n:t(concat('user.title.', @name))"/>
  </xsl:template>

  <xsl:template match="page[@name='user-new' or @name='user-edit']" mode="content">
    <h1><xsl:value-of select="i18n:t(concat('user.title.', @name))"/></h1>
    <p><a href="/authorities/{authority/@id}/users"><xsl:value-of select="authority"/></a></p>
    <xsl:call-template name="form-refused"/>
    <xsl:call-template name="violations"/>
    <form method="post" class="card" id="user-form">
      <xsl:attribute name="action">
        <xsl:choose>
          <xsl:when test="subject"><xsl:value-of select="concat('/users/', subject/@id)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('/authorities/', authority/@id, '/users/new')"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:call-template name="csrf"/>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'first_name'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'last_name'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'user_email'"/><xsl:with-param name="type" select="'email'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'phone'"/></xsl:call-template>
      <xsl:call-template name="field">
        <xsl:with-param name="name" select="'language'"/><xsl:with-param name="type" select="'select'"/>
        <xsl:with-param name="choices" select="/page/choices/language"/><xsl:with-param name="prefix" select="'language.'"/>
        <xsl:with-param name="empty" select="'language.default'"/>
      </xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'username'"/></xsl:call-template>
      <xsl:if test="subject">
        <xsl:call-template name="field"><xsl:with-param name="name" select="'your_password'"/><xsl:with-param name="type" select="'password'"/></xsl:call-template>
        <p class="small" id="reauth-help"><xsl:value-of select="i18n:t('user.reauth-help')"/></p>
      </xsl:if>
      <xsl:if test="not(subject)">
        <button type="submit" name="action" value="propose" id="propose-username"><xsl:value-of select="i18n:t('user.propose')"/></button>
        <p class="small"><xsl:value-of select="i18n:t('register.username-help')"/></p>
      </xsl:if>
      <h2><xsl:value-of select="i18n:t('user.roles')"/></h2>
      <fieldset>
        <legend><xsl:value-of select="i18n:t('user.roles.authority')"/></legend>
        <label class="inline"><input type="checkbox" name="role" value="administrator" id="role-administrator">
          <xsl:if test="roles/administrator/@checked"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
        </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t('role.administrator')"/></label>
        <label class="inline"><input type="checkbox" name="all" value="*" id="all-roles"/>
          <xsl:text> </xsl:text><xsl:value-of select="i18n:t('user.all-roles')"/></label>
      </fieldset>
      <xsl:for-each select="roles/module">
        <fieldset data-module="{@code}">
          <legend><xsl:value-of select="i18n:t(@name)"/></legend>
          <xsl:for-each select="role">
            <label class="inline"><input type="checkbox" name="role" value="{../@code}:{@name}" id="role-{../@code}-{@name}">
              <xsl:if test="@checked"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t(concat('role.', @name))"/></label>
          </xsl:for-each>
          <label class="inline"><input type="checkbox" name="all" value="{@code}" id="all-{@code}"/>
            <xsl:text> </xsl:text><xsl:value-of select="i18n:t('user.all-module-roles')"/></label>
        </fieldset>
      </xsl:for-each>
      <button type="submit" name="action" value="save" id="user-save"><xsl:value-of select="i18n:t('form.save')"/></button>
    </form>
  </xsl:template>

  <xsl:template match="page[@name='user-added']" mode="title"><xsl:value-of select="i18n:t('user.added.title')"/></xsl:template>
  <xsl:template match="page[@name='user-added']" mode="content">
    <xsl:variable name="r" select="added"/>
    <h1><xsl:value-of select="i18n:t('user.added.title')"/></h1>
    <p class="notice" role="status"><xsl:value-of select="i18n:t('user.added.line', $r/@name)"/></p>
    <p><xsl:value-of select="i18n:t('user.added.username')"/>
      <xsl:text> </xsl:text><strong id="new-username"><xsl:value-of select="$r/@username"/></strong></p>
    <p class="small"><xsl:value-of select="i18n:t('registered.pass-on', $r/@email)"/></p>
    <p><a href="/authorities/{$r/@authority}/users"><xsl:value-of select="i18n:t('user.back')"/></a></p>
  </xsl:template>

  <xsl:template match="page[@name='profile']" mode="title"><xsl:value-of select="i18n:t('profile.title')"/></xsl:template>
  <xsl:template match="page[@name='profile']" mode="content">
    <xsl:variable name="m" select="me"/>
    <h1><xsl:value-of select="i18n:t('profile.title')"/></h1>
    <xsl:for-each select="notice">
      <p class="notice" role="status" data-notice="{@key}"><xsl:value-of select="i18n:t(concat('notice.', @key))"/></p>
    </xsl:for-each>
    <dl class="fields">
      <xsl:for-each select="$m/@name | $m/@username | $m/@email | $m/@phone | $m/@authority | $m/@last-login">
        <dt><xsl:value-of select="i18n:t(concat('profile.', name()))"/></dt>
        <dd data-field="{name()}"><xsl:value-of select="."/></dd>
      </xsl:for-each>
      <dt><xsl:value-of select="i18n:t('user.password')"/></dt>
      <dd data-field="password"><xsl:value-of select="i18n:t(concat('user.password.', $m/@password))"/> · <a href="/password"><xsl:value-of select="i18n:t('nav.password')"/></a></dd>
    </dl>
    <h2><xsl:value-of select="i18n:t('user.roles')"/></h2>
    <ul id="my-roles">
      <xsl:for-each select="$m/role">
        <li data-module="{@module}" data-role="{@name}">
          <xsl:value-of select="i18n:t(concat('role.', @name))"/>
          <xsl:if test="@module != ''"> — <xsl:value-of select="i18n:t(@module-name)"/></xsl:if>
        </li>
      </xsl:for-each>
    </ul>
    <h2><xsl:value-of select="i18n:t('profile.sessions')"/></h2>
    <p class="small"><xsl:value-of select="i18n:t('profile.sessions.help')"/></p>
    <table class="list" id="sessions">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('profile.sessions.created')"/></th>
        <th><xsl:value-of select="i18n:t('profile.sessions.last-seen')"/></th>
        <th><xsl:value-of select="i18n:t('profile.sessions.which')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="sessions/session">
          <tr data-current="{@current}">
            <td><xsl:value-of select="i18n:date(@created)"/></td>
            <td><xsl:value-of select="i18n:date(@last-seen)"/></td>
            <td><xsl:if test="@current"><xsl:value-of select="i18n:t('profile.sessions.this')"/></xsl:if></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="count(sessions/session) &gt; 1">
      <form method="post" action="/profile/sessions" class="inline" id="end-other-sessions">
        <xsl:call-template name="csrf"/>
        <button type="submit" id="end-others"><xsl:value-of select="i18n:t('profile.sessions.end-others')"/></button>
      </form>
    </xsl:if>
    <form method="post" action="/profile" class="card" id="profile-form">
      <xsl:call-template name="csrf"/>
      <label for="language"><xsl:value-of select="i18n:t('field.language')"/></label>
      <select id="language" name="language">
        <xsl:for-each select="choices/language">
          <option value="{@code}"><xsl:if test="@code = $m/@language"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="i18n:t(concat('language.', @code))"/></option>
        </xsl:for-each>
      </select>
      <button type="submit" id="profile-save"><xsl:value-of select="i18n:t('form.save')"/></button>
    </form>
  </xsl:template>
</xsl:stylesheet>

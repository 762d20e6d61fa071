<?xml version="1.0" encoding="UTF-8"?>
<!--
  authority.xsl — an authority's page with its tabs (Authority, Classification,
  Modules, Management information), its edit form, and registering a new
  authority with its first user.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='authority' or @name='authority-edit']" mode="title">
    <xsl:value-of select="authority/@official-name"/>
  </xsl:template>

  <xsl:template match="page[@name='authority']" mode="content">
    <xsl:variable name="a" select="authority"/>
    <xsl:variable name="base" select="concat('/authorities/', $a/@id)"/>
    <h1 id="authority-name"><xsl:value-of select="$a/@official-name"/></h1>
    <p>
      <xsl:value-of select="i18n:t('authority.status')"/>
      <xsl:text> </xsl:text>
      <strong id="authority-state" data-state="{$a/@state}"><xsl:value-of select="i18n:t(concat('authority.state.', $a/@state))"/></strong>
      <xsl:text> · </xsl:text><xsl:value-of select="i18n:t(concat('country.', $a/@country))"/>
    </p>
    <nav class="tabs" aria-label="{i18n:t('authority.tabs')}">
      <xsl:call-template name="tab"><xsl:with-param name="t" select="'authority'"/><xsl:with-param name="href" select="$base"/></xsl:call-template>
      <xsl:call-template name="tab"><xsl:with-param name="t" select="'classification'"/><xsl:with-param name="href" select="concat($base, '/classification')"/></xsl:call-template>
      <xsl:call-template name="tab"><xsl:with-param name="t" select="'modules'"/><xsl:with-param name="href" select="concat($base, '/modules')"/></xsl:call-template>
      <xsl:if test="$a/@may-edit">
        <xsl:call-template name="tab"><xsl:with-param name="t" select="'users'"/><xsl:with-param name="href" select="concat($base, '/users')"/></xsl:call-template>
      </xsl:if>
      <xsl:if test="$a/@may-edit or $a/@own">
        <xsl:call-template name="tab"><xsl:with-param name="t" select="'management'"/><xsl:with-param name="href" select="concat($base, '/management')"/></xsl:call-template>
      </xsl:if>
    </nav>

    <xsl:choose>
      <xsl:when test="@tab = 'classification'">
        <dl class="fields">
          <dt><xsl:value-of select="i18n:t('field.authority_type')"/></dt>
          <dd data-field="authority_type"><xsl:value-of select="i18n:t(concat('authority.type.', $a/@type))"/></dd>
          <dt><xsl:value-of select="i18n:t('authority.access-manager')"/></dt>
          <dd data-field="access-manager"><xsl:value-of select="i18n:t(concat('yesno.', $a/@access-manager))"/></dd>
        </dl>
      </xsl:when>
      <xsl:when test="@tab = 'modules'">
        <xsl:call-template name="modules-tab"/>
      </xsl:when>
      <xsl:when test="@tab = 'users'">
        <xsl:call-template name="users-tab"/>
      </xsl:when>
      <xsl:when test="@tab = 'management'">
        <xsl:call-template name="management-tab"/>
      </xsl:when>
      <xsl:otherwise>
        <dl class="fields">
          <xsl:for-each select="$a/@official-name | $a/@informal-title | $a/@country-name | $a/@address | $a/@phone | $a/@email | $a/@website | $a/@registered">
            <dt><xsl:value-of select="i18n:t(concat('authority.', name()))"/></dt>
            <dd data-field="{name()}">
              <xsl:choose>
                <xsl:when test="name() = 'country-name'"><xsl:value-of select="i18n:t(concat('country.', $a/@country))"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
              </xsl:choose>
            </dd>
          </xsl:for-each>
        </dl>
        <xsl:if test="$a/@may-edit">
          <p><a class="button" id="edit-authority" href="{$base}/edit"><xsl:value-of select="i18n:t('authority.edit')"/></a></p>
        </xsl:if>
        <xsl:if test="transitions/transition">
          <h2><xsl:value-of select="i18n:t('authority.lifecycle')"/></h2>
          <xsl:call-template name="transition-forms">
            <xsl:with-param name="list" select="transitions/transition"/>
            <xsl:with-param name="id" select="transitions/@instance"/>
            <xsl:with-param name="rev" select="transitions/@rev"/>
            <xsl:with-param name="next" select="transitions/@next"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$a/@state = 'active' and $a/@may-manage and not(transitions/transition[@event='deactivate'])">
          <p class="small" id="deactivate-hint"><xsl:value-of select="i18n:t('authority.deactivate-hint')"/></p>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tab">
    <xsl:param name="t"/>
    <xsl:param name="href"/>
    <a href="{$href}" data-tab="{$t}">
      <xsl:if test="$t = /page/@tab"><xsl:attribute name="aria-current">page</xsl:attribute><xsl:attribute name="class">current</xsl:attribute></xsl:if>
      <xsl:value-of select="i18n:t(concat('authority.tab.', $t))"/>
    </a>
  </xsl:template>

  <xsl:template name="modules-tab">
    <xsl:variable name="a" select="authority"/>
    <xsl:variable name="base" select="concat('/authorities/', $a/@id)"/>
    <xsl:call-template name="violations"/>
    <xsl:if test="refused">
      <div class="error" id="refused" data-form="{refused/@form}" role="alert">
        <xsl:value-of select="i18n:t('access.refused')"/>
        <ul class="errors">
          <xsl:for-each select="refused/field">
            <li data-field="{@name}" data-rule="{@error}"><xsl:value-of select="i18n:t(concat('access.error.', @error))"/></li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
    <table tabindex="0" class="list" id="accesses">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('access.module')"/></th>
        <th><xsl:value-of select="i18n:t('access.role')"/></th>
        <th><xsl:value-of select="i18n:t('access.state')"/></th>
        <th><xsl:value-of select="i18n:t('access.settings')"/></th>
        <th><xsl:value-of select="i18n:t('access.coordinators')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="accesses/access">
          <tr data-module="{@module}" data-state="{@state}" data-role="{@role}">
            <td><xsl:value-of select="i18n:t(@name)"/>
              <xsl:if test="keyword"><br/><span class="small" data-keywords="">
                <xsl:for-each select="keyword"><xsl:value-of select="i18n:t(string(.))"/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each>
              </span></xsl:if>
            </td>
            <td><xsl:value-of select="i18n:t(concat('access.role.', @role))"/></td>
            <td><xsl:value-of select="i18n:t(concat('access.state.', @state))"/></td>
            <td class="small">
              <xsl:if test="@kind = 'request'">
                <xsl:for-each select="@approval-required | @right-to-refuse | @allocation">
                  <span data-setting="{name()}" data-value="{.}"><xsl:value-of select="i18n:t(concat('access.', name()))"/>: <xsl:value-of select="i18n:t(concat('yesno.', .))"/></span><br/>
                </xsl:for-each>
              </xsl:if>
            </td>
            <td><xsl:for-each select="coordinator"><span data-coordinator="{@id}"><xsl:value-of select="."/></span><br/></xsl:for-each></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="not(accesses/access)"><p class="small"><xsl:value-of select="i18n:t('access.none')"/></p></xsl:if>

    <xsl:for-each select="accesses/access">
      <xsl:variable name="ac" select="."/>
      <xsl:variable name="cat" select="/page/catalogue/module[@code = $ac/@module]"/>
      <xsl:if test="transitions/transition or $cat">
        <details class="card access" id="access-{@module}">
          <summary><xsl:value-of select="i18n:t(@name)"/> — <xsl:value-of select="i18n:t(concat('access.state.', @state))"/></summary>
          <xsl:call-template name="transition-forms">
            <xsl:with-param name="list" select="transitions/transition"/>
            <xsl:with-param name="id" select="transitions/@instance"/>
            <xsl:with-param name="rev" select="transitions/@rev"/>
            <xsl:with-param name="next" select="transitions/@next"/>
            <xsl:with-param name="suffix" select="concat('-', @module)"/>
          </xsl:call-template>
          <xsl:if test="$cat">
            <form method="post" action="{$base}/modules/{@module}" id="settings-{@module}" class="settings">
              <xsl:call-template name="csrf"/>
              <input type="hidden" name="event" value="update"/>
              <input type="hidden" name="rev" value="{@rev}"/>
              <h3><xsl:value-of select="i18n:t('access.save-settings')"/></h3>
              <xsl:call-template name="access-fields">
                <xsl:with-param name="module" select="$cat"/>
                <xsl:with-param name="access" select="$ac"/>
                <xsl:with-param name="manage" select="boolean(/page/catalogue/@may-grant)"/>
                <xsl:with-param name="with-role" select="false()"/>
              </xsl:call-template>
              <button type="submit" id="save-{@module}"><xsl:value-of select="i18n:t('access.save-settings')"/></button>
            </form>
            <xsl:if test="@state = 'suspended' and /page/catalogue/@may-grant">
              <form method="post" action="{$base}/modules/{@module}" id="role-{@module}" class="settings">
                <xsl:call-template name="csrf"/>
                <input type="hidden" name="event" value="change-role"/>
                <input type="hidden" name="rev" value="{@rev}"/>
                <h3><xsl:value-of select="i18n:t('access.change-role')"/></h3>
                <xsl:call-template name="access-fields">
                  <xsl:with-param name="module" select="$cat"/>
                  <xsl:with-param name="access" select="$ac"/>
                  <xsl:with-param name="manage" select="true()"/>
                  <xsl:with-param name="with-role" select="true()"/>
                  <xsl:with-param name="only-role" select="true()"/>
                </xsl:call-template>
                <button type="submit" id="change-role-{@module}"><xsl:value-of select="i18n:t('access.change-role')"/></button>
              </form>
            </xsl:if>
          </xsl:if>
        </details>
      </xsl:if>
    </xsl:for-each>

    <xsl:if test="catalogue/@may-grant and catalogue/module[not(@granted)]">
      <h2><xsl:value-of select="i18n:t('access.grant')"/></h2>
      <xsl:for-each select="catalogue/module[not(@granted)]">
        <details class="card" id="grant-{@code}">
          <!-- The name only: a module's element also holds its keywords and candidates. -->
          <summary><xsl:value-of select="i18n:t(string(text()))"/></summary>
          <form method="post" action="{$base}/modules" id="grant-form-{@code}">
            <xsl:call-template name="csrf"/>
            <input type="hidden" name="module" value="{@code}"/>
            <xsl:call-template name="access-fields">
              <xsl:with-param name="module" select="."/>
              <xsl:with-param name="manage" select="true()"/>
              <xsl:with-param name="with-role" select="true()"/>
            </xsl:call-template>
            <button type="submit" id="grant-{@code}-submit"><xsl:value-of select="i18n:t('access.grant')"/></button>
          </form>
        </details>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- Role, keywords, request settings and linked coordinators of one module's access. -->
  <xsl:template name="access-fields">
    <xsl:param name="module" select="/.."/>
    <xsl:param name="access" select="/.."/>
    <xsl:param name="manage"/>
    <xsl:param name="with-role"/>
    <xsl:param name="only-role"/>
    <xsl:variable name="code" select="$module/@code"/>
    <xsl:if test="$with-role">
      <fieldset>
        <legend><xsl:value-of select="i18n:t('access.role')"/></legend>
        <label class="inline"><input type="radio" name="role" value="authority">
          <xsl:if test="not($access/@role = 'authority')"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
        </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t('access.role.authority')"/></label>
        <label class="inline"><input type="radio" name="role" value="coordinator">
          <xsl:if test="$access/@role = 'authority'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
        </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t('access.role.coordinator')"/></label>
      </fieldset>
    </xsl:if>
    <xsl:if test="not($only-role) and $module/keyword">
      <fieldset>
        <legend><xsl:value-of select="i18n:t('access.keywords')"/></legend>
        <xsl:for-each select="$module/keyword">
          <!-- The value stays the English keyword (what requests are addressed by); the
               label is in the reader's language. -->
          <label class="inline"><input type="checkbox" name="keyword" value="{.}">
            <xsl:if test="$access/keyword[. = current()]"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t(string(.))"/></label>
        </xsl:for-each>
      </fieldset>
    </xsl:if>
    <xsl:if test="$manage and not($only-role) and $module/@kind = 'request'">
      <fieldset>
        <legend><xsl:value-of select="i18n:t('access.settings')"/></legend>
        <xsl:call-template name="setting"><xsl:with-param name="s" select="'approval-required'"/><xsl:with-param name="access" select="$access"/></xsl:call-template>
        <xsl:call-template name="setting"><xsl:with-param name="s" select="'right-to-refuse'"/><xsl:with-param name="access" select="$access"/></xsl:call-template>
        <xsl:call-template name="setting"><xsl:with-param name="s" select="'allocation'"/><xsl:with-param name="access" select="$access"/></xsl:call-template>
      </fieldset>
    </xsl:if>
    <xsl:if test="$manage and $module/@needs-coordinator = 'true' and not($access/@role = 'coordinator' and not($with-role))">
      <fieldset>
        <legend><xsl:value-of select="i18n:t('access.coordinators')"/></legend>
        <xsl:if test="not($module/candidate)"><p class="small"><xsl:value-of select="i18n:t('access.no-candidates')"/></p></xsl:if>
        <xsl:for-each select="$module/candidate">
          <label class="inline"><input type="checkbox" name="coordinator" value="{@id}">
            <xsl:if test="$access/coordinator[@id = current()/@id]"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          </input><xsl:text> </xsl:text><xsl:value-of select="."/></label>
        </xsl:for-each>
      </fieldset>
    </xsl:if>
  </xsl:template>

  <xsl:template name="setting">
    <xsl:param name="s"/>
    <xsl:param name="access" select="/.."/>
    <label class="inline"><input type="checkbox" name="{translate($s, '-', '_')}" value="yes">
      <xsl:if test="$access/@*[name() = $s] = 'true'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
    </input><xsl:text> </xsl:text><xsl:value-of select="i18n:t(concat('access.', $s))"/></label>
  </xsl:template>

  <xsl:template name="management-tab">
    <xsl:variable name="a" select="authority"/>
    <dl class="fields">
      <dt><xsl:value-of select="i18n:t('authority.status')"/></dt>
      <dd data-field="state"><xsl:value-of select="i18n:t(concat('authority.state.', $a/@state))"/></dd>
    </dl>
    <h2><xsl:value-of select="i18n:t('authority.managers')"/></h2>
    <ul id="managers">
      <xsl:for-each select="managers/manager">
        <li data-manager="{@id}"><a href="/authorities/{@id}"><xsl:value-of select="."/></a> (<xsl:value-of select="i18n:t(concat('country.', @country))"/>) · <xsl:value-of select="i18n:date(@since)"/></li>
      </xsl:for-each>
    </ul>
    <xsl:if test="managers/@may-add-own">
      <form method="post" action="/authorities/{$a/@id}/managers" id="add-own-manager">
        <xsl:call-template name="csrf"/>
        <button type="submit" id="add-own-manager-submit"><xsl:value-of select="i18n:t('authority.add-own-manager')"/></button>
      </form>
    </xsl:if>
    <xsl:if test="managers/@may-assign-role">
      <form method="post" action="/authorities/{$a/@id}/access-manager" id="access-manager-role">
        <xsl:call-template name="csrf"/>
        <xsl:choose>
          <xsl:when test="$a/@access-manager = 'true'">
            <input type="hidden" name="access_manager" value="no"/>
            <button type="submit" id="access-manager-role-submit"><xsl:value-of select="i18n:t('authority.remove-manager-role')"/></button>
          </xsl:when>
          <xsl:otherwise>
            <input type="hidden" name="access_manager" value="yes"/>
            <button type="submit" id="access-manager-role-submit"><xsl:value-of select="i18n:t('authority.assign-manager-role')"/></button>
          </xsl:otherwise>
        </xsl:choose>
      </form>
    </xsl:if>
    <h2><xsl:value-of select="i18n:t('authority.administrators')"/></h2>
    <ul id="administrators">
      <xsl:for-each select="administrators/administrator"><li><xsl:value-of select="."/> · <xsl:value-of select="@email"/></li></xsl:for-each>
    </ul>
    <h2><xsl:value-of select="i18n:t('authority.history')"/></h2>
    <table tabindex="0" class="list" id="updates">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('instance.when')"/></th>
        <th><xsl:value-of select="i18n:t('authority.what')"/></th>
        <th><xsl:value-of select="i18n:t('instance.who')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="updates/update">
          <tr data-what="{@what}" data-detail="{@detail}">
            <td><xsl:value-of select="i18n:date(@at)"/></td>
            <td><xsl:value-of select="i18n:t(concat('update.', @what))"/>
              <xsl:if test="@detail != ''">
                <xsl:text> (</xsl:text>
                <xsl:choose>
                  <!-- a module by its name; edited fields by their captions (issue 16: no codes) -->
                  <xsl:when test="@detail-kind = 'module'"><xsl:value-of select="i18n:t(string(@detail))"/></xsl:when>
                  <xsl:when test="@detail-kind = 'fields'"><xsl:call-template name="field-names"><xsl:with-param name="list" select="string(@detail)"/></xsl:call-template></xsl:when>
                  <xsl:otherwise><xsl:value-of select="@detail"/></xsl:otherwise>
                </xsl:choose>
                <xsl:text>)</xsl:text>
              </xsl:if></td>
            <td><xsl:choose>
              <xsl:when test="@user = ''"><xsl:value-of select="i18n:t('instance.system')"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="@user"/> (<xsl:value-of select="@authority"/>)</xsl:otherwise>
            </xsl:choose></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <!-- "address, phone" as "Address, Phone": each field's caption (field.NAME). -->
  <xsl:template name="field-names">
    <xsl:param name="list"/>
    <xsl:variable name="first" select="substring-before(concat($list, ', '), ', ')"/>
    <xsl:value-of select="i18n:t(concat('field.', $first))"/>
    <xsl:if test="contains($list, ', ')">
      <xsl:text>, </xsl:text>
      <xsl:call-template name="field-names"><xsl:with-param name="list" select="substring-after($list, ', ')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- The fields of an authority, shared by register, self-register and edit. -->
  <xsl:template name="authority-fields">
    <xsl:param name="country-fixed"/>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'official_name'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'informal_title'"/></xsl:call-template>
    <xsl:if test="not($country-fixed)">
      <xsl:call-template name="field">
        <xsl:with-param name="name" select="'country'"/><xsl:with-param name="type" select="'select'"/>
        <xsl:with-param name="choices" select="/page/choices/country"/><xsl:with-param name="required" select="true()"/>
        <xsl:with-param name="prefix" select="'country.'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'address'"/><xsl:with-param name="type" select="'textarea'"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'phone'"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'email'"/><xsl:with-param name="type" select="'email'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'website'"/></xsl:call-template>
    <xsl:call-template name="field">
      <xsl:with-param name="name" select="'authority_type'"/><xsl:with-param name="type" select="'select'"/>
      <xsl:with-param name="choices" select="/page/choices/type"/><xsl:with-param name="prefix" select="'authority.type.'"/>
      <xsl:with-param name="required" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="first-user-fields">
    <h2><xsl:value-of select="i18n:t('register.first-user')"/></h2>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'first_name'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'last_name'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'user_email'"/><xsl:with-param name="type" select="'email'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
    <xsl:call-template name="field">
      <xsl:with-param name="name" select="'language'"/><xsl:with-param name="type" select="'select'"/>
      <xsl:with-param name="choices" select="/page/choices/language"/><xsl:with-param name="prefix" select="'language.'"/>
      <xsl:with-param name="empty" select="'language.default'"/>
    </xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="name" select="'username'"/></xsl:call-template>
    <p class="small"><xsl:value-of select="i18n:t('register.username-help')"/></p>
  </xsl:template>

  <xsl:template name="form-refused">
    <xsl:if test="/page/form/@refused">
      <p class="error" role="alert" id="form-refused"><xsl:value-of select="i18n:t('form.refused')"/></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="page[@name='authority-edit']" mode="content">
    <h1><xsl:value-of select="i18n:t('authority.edit')"/>: <xsl:value-of select="authority/@official-name"/></h1>
    <xsl:call-template name="form-refused"/>
    <form method="post" action="/authorities/{authority/@id}/edit" class="card" id="edit-form">
      <xsl:call-template name="csrf"/>
      <xsl:call-template name="authority-fields"/>
      <button type="submit" id="edit-submit"><xsl:value-of select="i18n:t('form.save')"/></button>
    </form>
  </xsl:template>

  <xsl:template match="page[@name='register']" mode="title"><xsl:value-of select="i18n:t('register.title')"/></xsl:template>
  <xsl:template match="page[@name='register']" mode="content">
    <h1><xsl:value-of select="i18n:t('register.title')"/></h1>
    <p><xsl:value-of select="i18n:t('register.intro')"/></p>
    <xsl:call-template name="form-refused"/>
    <form method="post" action="/admin/authorities/new" class="card" id="register-form">
      <xsl:call-template name="csrf"/>
      <xsl:call-template name="authority-fields"/>
      <xsl:call-template name="first-user-fields"/>
      <button type="submit" id="register-submit"><xsl:value-of select="i18n:t('register.submit')"/></button>
    </form>
  </xsl:template>

  <xsl:template match="page[@name='registered']" mode="title"><xsl:value-of select="i18n:t('registered.title')"/></xsl:template>
  <xsl:template match="page[@name='registered']" mode="content">
    <xsl:variable name="r" select="registered"/>
    <h1><xsl:value-of select="i18n:t('registered.title')"/></h1>
    <p class="notice" role="status"><xsl:value-of select="i18n:t('registered.line', $r/@name)"/></p>
    <p><xsl:value-of select="i18n:t('registered.username')"/>
      <xsl:text> </xsl:text><strong id="new-username"><xsl:value-of select="$r/@username"/></strong></p>
    <p class="small"><xsl:value-of select="i18n:t('registered.pass-on', $r/@email)"/></p>
    <p><a id="new-authority" href="/authorities/{$r/@authority}/modules"><xsl:value-of select="i18n:t('registered.next')"/></a></p>
  </xsl:template>
</xsl:stylesheet>

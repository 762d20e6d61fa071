<?xml version="1.0" encoding="UTF-8"?>
<!--
  invitation.xsl — Administration → Invitations to register, the invited
  authority's self-registration form, and My tasks → Pending validations.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='invitations']" mode="title"><xsl:value-of select="i18n:t('invitations.title')"/></xsl:template>
  <xsl:template match="page[@name='self-register' or @name='self-registered']" mode="title"><xsl:value-of select="i18n:t('self-register.title')"/></xsl:template>
  <xsl:template match="page[@name='validations']" mode="title"><xsl:value-of select="i18n:t('validations.title')"/></xsl:template>

  <xsl:template match="page[@name='invitations']" mode="content">
    <h1><xsl:value-of select="i18n:t('invitations.title')"/></h1>
    <xsl:call-template name="form-refused"/>
    <form method="post" action="/admin/invitations" class="card" id="invite-form">
      <xsl:call-template name="csrf"/>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'email'"/><xsl:with-param name="type" select="'email'"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="field">
        <xsl:with-param name="name" select="'country'"/><xsl:with-param name="type" select="'select'"/>
        <xsl:with-param name="choices" select="/page/choices/country"/><xsl:with-param name="required" select="true()"/>
        <xsl:with-param name="prefix" select="'country.'"/>
      </xsl:call-template>
      <xsl:call-template name="field"><xsl:with-param name="name" select="'message'"/><xsl:with-param name="type" select="'textarea'"/></xsl:call-template>
      <button type="submit" id="invite-submit"><xsl:value-of select="i18n:t('invitations.send')"/></button>
    </form>
    <h2><xsl:value-of select="i18n:t('invitations.sent')"/></h2>
    <table tabindex="0" class="list" id="invitations">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('field.email')"/></th>
        <th><xsl:value-of select="i18n:t('field.country')"/></th>
        <th><xsl:value-of select="i18n:t('authority.status')"/></th>
        <th><xsl:value-of select="i18n:t('invitations.dates')"/></th>
        <th><xsl:value-of select="i18n:t('invitations.authority')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="invitations/invitation">
          <tr data-invitation="{@id}" data-state="{@state}">
            <td><xsl:value-of select="@email"/></td>
            <td><xsl:value-of select="i18n:t(concat('country.', @country))"/></td>
            <td><xsl:value-of select="i18n:t(concat('invitation.state.', @state))"/></td>
            <td><xsl:value-of select="i18n:date(@sent)"/> – <xsl:value-of select="i18n:date(@expires)"/></td>
            <td><xsl:if test="@authority != ''"><a href="/authorities/{@authority}"><xsl:value-of select="@authority-name"/></a></xsl:if></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="page[@name='self-register']" mode="content">
    <xsl:variable name="v" select="invitation"/>
    <h1><xsl:value-of select="i18n:t('self-register.title')"/></h1>
    <xsl:choose>
      <xsl:when test="$v/@unusable">
        <p class="error" id="invitation-unusable" data-reason="{$v/@unusable}">
          <xsl:value-of select="i18n:t(concat('self-register.unusable.', $v/@unusable))"/>
        </p>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:value-of select="i18n:t('self-register.intro', $v/@inviter, $v/@country)"/></p>
        <xsl:if test="$v/@message != ''"><blockquote><xsl:value-of select="$v/@message"/></blockquote></xsl:if>
        <xsl:call-template name="form-refused"/>
        <form method="post" action="/register/{$v/@token}" class="card" id="self-register-form">
          <xsl:call-template name="csrf"/>
          <xsl:call-template name="authority-fields"><xsl:with-param name="country-fixed" select="true()"/></xsl:call-template>
          <xsl:call-template name="first-user-fields"/>
          <button type="submit" id="self-register-submit"><xsl:value-of select="i18n:t('register.submit')"/></button>
        </form>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="page[@name='self-registered']" mode="content">
    <xsl:variable name="r" select="registered"/>
    <h1><xsl:value-of select="i18n:t('self-register.title')"/></h1>
    <p class="notice" role="status" id="self-registered"><xsl:value-of select="i18n:t('self-registered.line', $r/@name)"/></p>
    <p><xsl:value-of select="i18n:t('registered.username')"/>
      <xsl:text> </xsl:text><strong id="new-username"><xsl:value-of select="$r/@username"/></strong></p>
    <p class="small"><xsl:value-of select="i18n:t('self-registered.next', $r/@email)"/></p>
  </xsl:template>

  <xsl:template match="page[@name='validations']" mode="content">
    <h1><xsl:value-of select="i18n:t('validations.title')"/></h1>
    <table tabindex="0" class="list" id="pending">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('field.official_name')"/></th>
        <th><xsl:value-of select="i18n:t('field.country')"/></th>
        <th><xsl:value-of select="i18n:t('field.email')"/></th>
        <th><xsl:value-of select="i18n:t('authority.registered')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="pending/authority">
          <tr data-authority="{@id}">
            <td><a href="/authorities/{@id}"><xsl:value-of select="."/></a>
              <xsl:if test="@mine"> <span class="small"> · <xsl:value-of select="i18n:t('validations.invited-by-you')"/></span></xsl:if></td>
            <td><xsl:value-of select="i18n:t(concat('country.', @country))"/></td>
            <td><xsl:value-of select="@email"/></td>
            <td><xsl:value-of select="@registered"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="not(pending/authority)"><p class="small" id="no-pending"><xsl:value-of select="i18n:t('validations.none')"/></p></xsl:if>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!-- login.xsl — the sign-in form. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='login']" mode="title">
    <xsl:value-of select="i18n:t('login.title')"/>
  </xsl:template>

  <xsl:template match="page[@name='login']" mode="content">
    <section class="card narrow">
      <h1><xsl:value-of select="i18n:t('login.title')"/></h1>
      <xsl:for-each select="form/error">
        <p class="error" role="alert" data-error="{substring-after(@key, 'login.')}">
          <xsl:value-of select="i18n:t(@key, string(@arg))"/>
        </p>
      </xsl:for-each>
      <form method="post" action="/login" id="login-form">
        <xsl:call-template name="csrf"/>
        <xsl:if test="string(next) != ''"><input type="hidden" name="next" value="{next}"/></xsl:if>
        <label for="username"><xsl:value-of select="i18n:t('login.username')"/></label>
        <input type="text" id="username" name="username" autocomplete="username"
               required="required" maxlength="64" value="{form/username}" autofocus="autofocus"/>
        <label for="password"><xsl:value-of select="i18n:t('login.password')"/></label>
        <input type="password" id="password" name="password" autocomplete="current-password"
               required="required" maxlength="1024"/>
        <button type="submit" id="login-submit"><xsl:value-of select="i18n:t('login.submit')"/></button>
      </form>
      <p class="small"><xsl:value-of select="i18n:t('login.help')"/></p>
    </section>
  </xsl:template>
</xsl:stylesheet>

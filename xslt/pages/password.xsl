<?xml version="1.0" encoding="UTF-8"?>
<!-- password.xsl — changing one's password, with the IMI rules spelled out. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='password']" mode="title">
    <xsl:value-of select="i18n:t('password.title')"/>
  </xsl:template>

  <xsl:template match="page[@name='password']" mode="content">
    <section class="card narrow">
      <h1><xsl:value-of select="i18n:t('password.title')"/></h1>
      <xsl:if test="@state = 'temporary' or @state = 'expired'">
        <p class="notice" data-notice="must-change">
          <xsl:value-of select="i18n:t(concat('password.must-change.', @state))"/>
        </p>
      </xsl:if>
      <xsl:if test="form/error">
        <ul class="errors" role="alert">
          <xsl:for-each select="form/error">
            <li class="error" data-rule="{@rule}">
              <xsl:value-of select="i18n:t(concat('password.rule.', @rule), /page/rules/@min, /page/rules/@history)"/>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:if>
      <form method="post" action="/password" id="password-form">
        <xsl:call-template name="csrf"/>
        <label for="current"><xsl:value-of select="i18n:t('password.current')"/></label>
        <input type="password" id="current" name="current" autocomplete="current-password"
               required="required" maxlength="1024"/>
        <label for="new"><xsl:value-of select="i18n:t('password.new')"/></label>
        <input type="password" id="new" name="new" autocomplete="new-password"
               required="required" minlength="{rules/@min}" maxlength="1024"
               aria-describedby="password-rules"/>
        <label for="confirm"><xsl:value-of select="i18n:t('password.confirm')"/></label>
        <input type="password" id="confirm" name="confirm" autocomplete="new-password"
               required="required" maxlength="1024"/>
        <button type="submit" id="password-submit"><xsl:value-of select="i18n:t('password.submit')"/></button>
      </form>
      <div id="password-rules" class="rules">
        <p><xsl:value-of select="i18n:t('password.rules')"/></p>
        <ul>
          <li><xsl:value-of select="i18n:t('password.rule.length', rules/@min)"/></li>
          <li><xsl:value-of select="i18n:t('password.rule.upper')"/></li>
          <li><xsl:value-of select="i18n:t('password.rule.lower')"/></li>
          <li><xsl:value-of select="i18n:t('password.rule.digit')"/></li>
          <li><xsl:value-of select="i18n:t('password.rule.reused', rules/@min, rules/@history)"/></li>
        </ul>
      </div>
    </section>
  </xsl:template>
</xsl:stylesheet>

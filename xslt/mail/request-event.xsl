<?xml version="1.0" encoding="UTF-8"?>
<!--
  request-event.xsl — a mail about an information request (workflows/
  information-request.xml): what happened, the request's subject, module,
  authorities and dates, and its questions in the recipient's language
  (engine/imi/request_mail.c adds <request>).  Never the person concerned: the
  personal data stay on the pages.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='request-event']">
    <mail>
      <subject>
        <xsl:value-of select="i18n:t('mail.request-event.subject', i18n:t(event), request/subject)"/>
      </subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.request-event.line', i18n:t(event), i18n:t(state))"/>
        <xsl:for-each select="request">
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.request-event.subject-line', subject)"/>
          <xsl:text>&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.request-event.module', i18n:t(module))"/>
          <xsl:text>&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.request-event.from', requester, requester/@country)"/>
          <xsl:text>&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.request-event.to', responder, responder/@country)"/>
          <xsl:text>&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.request-event.reply-date', i18n:date(@reply-date))"/>
          <xsl:if test="@agreed-date != '' and @agreed-date != @reply-date">
            <xsl:text>&#10;</xsl:text>
            <xsl:value-of select="i18n:t('mail.request-event.agreed-date', i18n:date(@agreed-date))"/>
          </xsl:if>
          <xsl:if test="questions/question">
            <xsl:text>&#10;&#10;</xsl:text>
            <xsl:value-of select="i18n:t('mail.request-event.questions')"/>
            <xsl:for-each select="questions/question">
              <xsl:text>&#10;- </xsl:text>
              <xsl:value-of select="."/>
            </xsl:for-each>
          </xsl:if>
        </xsl:for-each>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.request-event.see')"/>
        <xsl:text>&#10;</xsl:text>
        <xsl:value-of select="url"/>
        <xsl:if test="link">
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.links.intro')"/>
          <xsl:for-each select="link">
            <xsl:text>&#10;&#10;</xsl:text>
            <xsl:value-of select="i18n:t(@label)"/>
            <xsl:text>: </xsl:text>
            <xsl:value-of select="."/>
          </xsl:for-each>
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.links.rules')"/>
        </xsl:if>
        <xsl:call-template name="signature"/>
      </body>
    </mail>
  </xsl:template>
</xsl:stylesheet>

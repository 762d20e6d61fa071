<?xml version="1.0" encoding="UTF-8"?>
<!--
  case-event.xsl — the mail of a case (an instance whose definition has a <form>:
  notifications, alerts) from the engine's generic mail model, no model of its own:
  <mail template="case-event" instance="ID"><name/><workflow/><event/><state/><url/>
  <link event= label=/>*, and, where the engine adds the case, its <form> with the fields
  the recipient may see.  Only summary fields (summary="true") are written out: mail
  leaves the system, so free texts and personal data stay on the case page; of a
  modification the mail names the fields that changed, not their values.  Every text
  comes from the catalogues; the workflow, event and state labels are message keys too
  (workflows/README.md, "Labels"), so a Danish coordinator reads them in Danish.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="/mail[@template='case-event']">
    <xsl:variable name="what" select="i18n:t(string(workflow))"/>
    <mail>
      <subject><xsl:value-of select="i18n:t('mail.case-event.subject', $what, string(@instance), i18n:t(string(event)))"/></subject>
      <body>
        <xsl:value-of select="i18n:t('mail.greeting', name)"/>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.case-event.line', $what, string(@instance), i18n:t(string(event)))"/>
        <xsl:text>&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.case-event.state', i18n:t(string(state)))"/>
        <xsl:for-each select="form/field[@summary = 'true']">
          <xsl:text>&#10;</xsl:text>
          <xsl:value-of select="i18n:t(string(@label))"/>
          <xsl:text>: </xsl:text>
          <xsl:call-template name="case-event-value"/>
        </xsl:for-each>
        <xsl:if test="form/field[@changed = 'true']">
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.case-event.changed', string(form/@version))"/>
          <xsl:for-each select="form/field[@changed = 'true']">
            <xsl:text>&#10;- </xsl:text>
            <xsl:value-of select="i18n:t(string(@label))"/>
          </xsl:for-each>
        </xsl:if>
        <xsl:text>&#10;&#10;</xsl:text>
        <xsl:value-of select="i18n:t('mail.case-event.see')"/>
        <xsl:text>&#10;</xsl:text>
        <xsl:value-of select="url"/>
        <xsl:if test="link">
          <xsl:text>&#10;&#10;</xsl:text>
          <xsl:value-of select="i18n:t('mail.links.intro')"/>
          <xsl:for-each select="link">
            <xsl:text>&#10;&#10;</xsl:text>
            <xsl:value-of select="i18n:t(string(@label))"/>
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

  <!-- A choice by its option's label, countries by their names, anything else as it is. -->
  <xsl:template name="case-event-value">
    <xsl:choose>
      <xsl:when test="@value-label">
        <xsl:value-of select="i18n:t(string(@value-label))"/>
      </xsl:when>
      <xsl:when test="value">
        <xsl:for-each select="value">
          <xsl:if test="position() > 1">, </xsl:if>
          <!-- a countries field: each code by the country's name in the reader's language -->
          <xsl:variable name="w" select="i18n:t(concat('country.', .))"/>
          <xsl:value-of select="substring($w, 1, string-length($w) * not(starts-with($w, 'country.')))"/>
          <xsl:value-of select="substring(., 1, string-length(.) * starts-with($w, 'country.'))"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="normalize-space(.) = ''">
        <xsl:value-of select="i18n:t('mail.case-event.empty')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="i18n:date(normalize-space(.))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  instance.xsl — one workflow instance: state, data, history, and one form per
  transition the user may fire, with the transition's inputs.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='instance']" mode="title">
    <xsl:value-of select="i18n:t('instance.name', i18n:t(instance/@label), instance/@id)"/>
  </xsl:template>

  <xsl:template match="page[@name='instance']" mode="content">
    <xsl:variable name="i" select="instance"/>
    <h1><xsl:value-of select="i18n:t('instance.name', i18n:t($i/@label), $i/@id)"/></h1>
    <p>
      <xsl:value-of select="i18n:t('instance.state')"/>
      <xsl:text> </xsl:text>
      <strong id="state" data-state="{$i/@state}"><xsl:value-of select="i18n:t($i/@state-label)"/></strong>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="i18n:t('instance.version', i18n:t($i/@label), $i/@version)"/>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="$i/@authority"/>
    </p>

    <xsl:if test="transitions/transition">
      <div class="actions" id="actions">
        <h2><xsl:value-of select="i18n:t('instance.actions')"/></h2>
        <xsl:call-template name="transition-forms">
          <xsl:with-param name="list" select="transitions/transition"/>
          <xsl:with-param name="id" select="$i/@id"/>
          <xsl:with-param name="rev" select="$i/@rev"/>
        </xsl:call-template>
      </div>
    </xsl:if>

    <h2><xsl:value-of select="i18n:t('instance.data')"/></h2>
    <xsl:if test="$i/@personal-data-hidden">
      <p class="small" id="personal-data-hidden"><xsl:value-of select="i18n:t('instance.personal-data-hidden')"/></p>
    </xsl:if>
    <dl id="data">
      <xsl:for-each select="data/field">
        <dt>
          <xsl:choose>
            <xsl:when test="@label"><xsl:value-of select="i18n:t(string(@label))"/></xsl:when>
            <!-- A field no input or case form names (a time <set now="true">, a reason kept
                 under a name of its own, remind-at of a call): data.NAME of the catalogues
                 (workflows/README.md, "Labels"); the bare name only where there is none. -->
            <xsl:when test="i18n:t(concat('data.', @name)) != concat('data.', @name)"><xsl:value-of select="i18n:t(concat('data.', @name))"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="translate(@name, '-_', '  ')"/></xsl:otherwise>
          </xsl:choose>
        </dt>
        <dd data-field="{@name}">
          <xsl:choose>
            <xsl:when test="@value-label"><xsl:value-of select="i18n:t(string(@value-label))"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="i18n:date(string(.))"/></xsl:otherwise>
          </xsl:choose>
        </dd>
      </xsl:for-each>
    </dl>

    <!-- A case: the version of its form shown, only the fields this user may see. -->
    <xsl:if test="form">
      <h2><xsl:value-of select="i18n:t('case.form')"/></h2>
      <p class="small" id="form-version" data-version="{form/@version}" data-sealed="{form/@sealed}">
        <xsl:value-of select="i18n:t('case.version', string(form/@version), string(form/@versions))"/>
        <xsl:if test="form/@sealed = 'true'"><xsl:text> · </xsl:text><xsl:value-of select="i18n:t('case.sealed')"/></xsl:if>
        <xsl:if test="form/@erased"><xsl:text> · </xsl:text><xsl:value-of select="i18n:t('case.erased')"/></xsl:if>
      </p>
      <dl id="form">
        <xsl:for-each select="form/field">
          <dt>
            <xsl:value-of select="i18n:t(@label)"/>
            <xsl:if test="@changed"><xsl:text> </xsl:text><span class="changed"><xsl:value-of select="i18n:t('case.changed')"/></span></xsl:if>
          </dt>
          <dd data-field="{@name}">
            <xsl:choose>
              <xsl:when test="value">
                <xsl:for-each select="value">
                  <xsl:if test="position() &gt; 1">, </xsl:if>
                  <xsl:call-template name="country-value"/>
                </xsl:for-each>
              </xsl:when>
              <xsl:when test="@value-label"><xsl:value-of select="i18n:t(@value-label)"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="i18n:date(string(.))"/></xsl:otherwise>
            </xsl:choose>
          </dd>
        </xsl:for-each>
      </dl>
    </xsl:if>

    <xsl:if test="comments/comment">
      <h2><xsl:value-of select="i18n:t('case.comments')"/></h2>
      <ul id="comments">
        <xsl:for-each select="comments/comment">
          <li data-comment="{@id}" data-type="{@type}">
            <strong>
              <xsl:variable name="type" select="/page/instance/comment-type[@name = current()/@type]"/>
              <xsl:choose><xsl:when test="$type/@label"><xsl:value-of select="i18n:t(string($type/@label))"/></xsl:when><xsl:otherwise><xsl:value-of select="i18n:t('instance.comment')"/></xsl:otherwise></xsl:choose>
            </strong>
            <xsl:text> · </xsl:text><xsl:value-of select="@by"/> (<xsl:value-of select="@authority"/>)
            <xsl:text> · </xsl:text><xsl:value-of select="i18n:date(@at)"/>
            <xsl:if test="@answers"><xsl:text> · </xsl:text><xsl:value-of select="i18n:t('instance.answers-comment', string(@answers))"/></xsl:if>
            <xsl:choose>
              <xsl:when test="@withdrawn"><p class="small"><xsl:value-of select="i18n:t('case.withdrawn')"/></p></xsl:when>
              <xsl:otherwise><p><xsl:value-of select="."/></p></xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:for-each>
      </ul>
    </xsl:if>

    <xsl:if test="documents/document">
      <h2><xsl:value-of select="i18n:t('instance.documents')"/></h2>
      <ul id="documents">
        <xsl:for-each select="documents/document">
          <li data-input="{@input}"><a href="/instances/{$i/@id}/documents/{@id}"><xsl:value-of select="."/></a>
            <xsl:text> (</xsl:text><xsl:value-of select="@size"/><xsl:text> B)</xsl:text></li>
        </xsl:for-each>
      </ul>
    </xsl:if>

    <h2><xsl:value-of select="i18n:t('instance.history')"/></h2>
    <table tabindex="0" class="list" id="history">
      <thead><tr>
        <th>#</th><th><xsl:value-of select="i18n:t('instance.when')"/></th>
        <th><xsl:value-of select="i18n:t('instance.event')"/></th>
        <th><xsl:value-of select="i18n:t('instance.change')"/></th>
        <th><xsl:value-of select="i18n:t('instance.who')"/></th>
      </tr></thead>
      <tbody>
        <xsl:for-each select="history/entry">
          <tr data-seq="{@seq}" data-event="{@event}">
            <td><xsl:value-of select="@seq"/></td>
            <td><xsl:value-of select="i18n:date(@at)"/></td>
            <td><xsl:call-template name="event-label"/></td>
            <td>
              <xsl:if test="@from-label"><xsl:value-of select="i18n:t(string(@from-label))"/> → </xsl:if>
              <xsl:call-template name="state-label"><xsl:with-param name="label" select="@to-label"/></xsl:call-template>
            </td>
            <td>
              <xsl:choose>
                <xsl:when test="@actor-kind = 'system'"><xsl:value-of select="i18n:t('instance.system')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="@actor"/> (<xsl:value-of select="@authority"/>)</xsl:otherwise>
              </xsl:choose>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>
</xsl:stylesheet>

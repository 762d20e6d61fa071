<?xml version="1.0" encoding="UTF-8"?>
<!--
  send-email.xsl — Administration → Send e-mail (engine/pages/page_send_email.c): the
  recipient search, the choice of some or all results, the preview, the message; and the
  sent messages of one's authority with their queued and delivered mails.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <xsl:template match="page[@name='send-email']" mode="title"><xsl:value-of select="i18n:t('send-email.title')"/></xsl:template>
  <xsl:template match="page[@name='sent-emails' or @name='sent-email']" mode="title"><xsl:value-of select="i18n:t('sent-emails.title')"/></xsl:template>

  <!-- The search's criteria, as hidden fields of the sending form: "all results" means these. -->
  <xsl:template name="send-email-criteria-hidden">
    <xsl:variable name="c" select="/page/criteria"/>
    <input type="hidden" name="mine" value="{$c/@mine}"/>
    <input type="hidden" name="module" value="{$c/@module}"/>
    <input type="hidden" name="country" value="{$c/@country}"/>
    <input type="hidden" name="type" value="{$c/@type}"/>
  </xsl:template>

  <xsl:template match="page[@name='send-email']" mode="content">
    <xsl:variable name="c" select="criteria"/>
    <xsl:variable name="s" select="send"/>
    <h1><xsl:value-of select="i18n:t('send-email.title')"/></h1>
    <p><a href="/admin/sent-emails" id="sent-emails-link"><xsl:value-of select="i18n:t('sent-emails.title')"/></a></p>
    <form method="get" action="/admin/send-email" class="card" id="send-email-search">
      <fieldset>
        <legend><xsl:value-of select="i18n:t('managed.mine')"/></legend>
        <label class="inline"><input type="radio" name="mine" value="yes" id="mine-yes">
          <xsl:if test="$c/@mine = 'yes'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
          <xsl:text> </xsl:text><xsl:value-of select="i18n:t('yesno.true')"/></label>
        <xsl:if test="$c/@may-widen">
          <label class="inline"><input type="radio" name="mine" value="no" id="mine-no">
            <xsl:if test="$c/@mine = 'no'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
            <xsl:text> </xsl:text><xsl:value-of select="i18n:t('yesno.false')"/></label>
        </xsl:if>
      </fieldset>
      <label for="module"><xsl:value-of select="i18n:t('access.module')"/></label>
      <select id="module" name="module">
        <option value=""><xsl:value-of select="i18n:t('search.any')"/></option>
        <xsl:for-each select="choices/module">
          <option value="{@code}"><xsl:if test="@code = $c/@module"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(string(.))"/></option>
        </xsl:for-each>
      </select>
      <label for="country"><xsl:value-of select="i18n:t('field.country')"/></label>
      <select id="country" name="country">
        <option value=""><xsl:value-of select="i18n:t('search.any')"/></option>
        <xsl:for-each select="choices/country">
          <xsl:sort select="i18n:t(concat('country.', @code))"/>
          <option value="{@code}"><xsl:if test="@code = $c/@country"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(concat('country.', @code))"/></option>
        </xsl:for-each>
      </select>
      <label for="type"><xsl:value-of select="i18n:t('field.authority_type')"/></label>
      <select id="type" name="type">
        <option value=""><xsl:value-of select="i18n:t('search.any')"/></option>
        <xsl:for-each select="choices/type">
          <option value="{@code}"><xsl:if test="@code = $c/@type"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if><xsl:value-of select="i18n:t(concat('authority.type.', @code))"/></option>
        </xsl:for-each>
      </select>
      <button type="submit" id="send-email-search-submit"><xsl:value-of select="i18n:t('search.submit')"/></button>
    </form>

    <form method="post" action="/admin/send-email" id="send-email-form">
      <xsl:call-template name="csrf"/>
      <xsl:call-template name="send-email-criteria-hidden"/>
      <h2><xsl:value-of select="i18n:t('send-email.recipients')"/></h2>
      <p id="send-email-found" data-authorities="{results/@authorities}" data-people="{results/@people}">
        <xsl:value-of select="i18n:t('send-email.found', results/@authorities, results/@people)"/>
      </p>
      <fieldset>
        <legend><xsl:value-of select="i18n:t('send-email.to')"/></legend>
        <label class="inline"><input type="radio" name="to" value="chosen" id="to-chosen">
          <xsl:if test="$s/@to = 'chosen'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
          <xsl:text> </xsl:text><xsl:value-of select="i18n:t('send-email.to.chosen')"/></label>
        <label class="inline"><input type="radio" name="to" value="all" id="to-all">
          <xsl:if test="$s/@to = 'all'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input>
          <xsl:text> </xsl:text><xsl:value-of select="i18n:t('send-email.to.all', results/@authorities)"/></label>
      </fieldset>
      <table tabindex="0" class="list" id="results">
        <thead><tr>
          <th><xsl:value-of select="i18n:t('send-email.choose')"/></th>
          <th><xsl:value-of select="i18n:t('field.official_name')"/></th>
          <th><xsl:value-of select="i18n:t('field.informal_title')"/></th>
          <th><xsl:value-of select="i18n:t('field.country')"/></th>
          <th><xsl:value-of select="i18n:t('field.authority_type')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="results/result">
            <tr data-authority="{@id}">
              <td><input type="checkbox" name="authority" value="{@id}" id="authority-{@id}" aria-label="{.}">
                <xsl:if test="@chosen"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if></input></td>
              <td><a href="/authorities/{@id}"><xsl:value-of select="."/></a></td>
              <td><xsl:value-of select="@informal-title"/></td>
              <td><xsl:value-of select="i18n:t(concat('country.', @country))"/></td>
              <td><xsl:value-of select="i18n:t(concat('authority.type.', @type))"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
      <xsl:if test="not(results/result)"><p class="small" id="no-results"><xsl:value-of select="i18n:t('search.none')"/></p></xsl:if>
      <xsl:if test="results/@more-than"><p class="small"><xsl:value-of select="i18n:t('send-email.more', results/@more-than)"/></p></xsl:if>

      <xsl:if test="preview">
        <p class="notice" role="status" id="send-email-preview" data-authorities="{preview/@authorities}" data-people="{preview/@people}">
          <xsl:value-of select="i18n:t('send-email.preview', preview/@authorities, preview/@people)"/>
        </p>
      </xsl:if>
      <xsl:if test="$s/@error">
        <p class="error" role="alert" id="send-email-error" data-error="{$s/@error}">
          <xsl:value-of select="i18n:t(concat('send-email.error.', $s/@error), $s/@max)"/>
        </p>
      </xsl:if>

      <h2><xsl:value-of select="i18n:t('send-email.message')"/></h2>
      <p class="small"><xsl:value-of select="i18n:t('send-email.subject-fixed')"/></p>
      <p class="small"><xsl:value-of select="i18n:t('send-email.message-help', $s/@max)"/></p>
      <label for="message"><xsl:value-of select="i18n:t('send-email.message')"/></label>
      <textarea id="message" name="message" rows="12" cols="72" maxlength="{$s/@max}"><xsl:value-of select="$s/message"/></textarea>
      <p>
        <button type="submit" name="action" value="preview" id="send-email-preview-submit" class="secondary"><xsl:value-of select="i18n:t('send-email.preview-submit')"/></button>
        <xsl:text> </xsl:text>
        <button type="submit" name="action" value="send" id="send-email-submit"><xsl:value-of select="i18n:t('send-email.submit')"/></button>
      </p>
    </form>
  </xsl:template>

  <xsl:template name="sent-email-counts">
    <xsl:param name="m"/>
    <td data-authorities="{$m/@authorities}"><xsl:value-of select="$m/@authorities"/></td>
    <td data-queued="{$m/@queued}"><xsl:value-of select="i18n:date($m/@queued)"/></td>
    <td data-delivered="{$m/@delivered}"><xsl:value-of select="$m/@delivered"/></td>
    <td data-waiting="{$m/@waiting}"><xsl:value-of select="$m/@waiting"/></td>
    <td data-failed="{$m/@failed}"><xsl:value-of select="$m/@failed"/></td>
  </xsl:template>

  <xsl:template name="sent-email-heads">
    <th><xsl:value-of select="i18n:t('sent-emails.authorities')"/></th>
    <th><xsl:value-of select="i18n:t('sent-emails.queued')"/></th>
    <th><xsl:value-of select="i18n:t('sent-emails.delivered')"/></th>
    <th><xsl:value-of select="i18n:t('sent-emails.waiting')"/></th>
    <th><xsl:value-of select="i18n:t('sent-emails.failed')"/></th>
  </xsl:template>

  <xsl:template match="page[@name='sent-emails']" mode="content">
    <h1><xsl:value-of select="i18n:t('sent-emails.title')"/></h1>
    <xsl:if test="user/@access-manager">
      <p><a href="/admin/send-email"><xsl:value-of select="i18n:t('send-email.title')"/></a></p>
    </xsl:if>
    <table tabindex="0" class="list" id="sent-emails">
      <thead><tr>
        <th><xsl:value-of select="i18n:t('sent-emails.when')"/></th>
        <th><xsl:value-of select="i18n:t('sent-emails.sender')"/></th>
        <th><xsl:value-of select="i18n:t('send-email.message')"/></th>
        <xsl:call-template name="sent-email-heads"/>
      </tr></thead>
      <tbody>
        <xsl:for-each select="messages/message">
          <tr data-message="{@id}">
            <td><a href="/admin/sent-emails/{@id}"><xsl:value-of select="i18n:date(@sent-at)"/></a></td>
            <td><xsl:value-of select="@sender"/></td>
            <td><xsl:value-of select="."/></td>
            <xsl:call-template name="sent-email-counts"><xsl:with-param name="m" select="."/></xsl:call-template>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:if test="not(messages/message)"><p class="small" id="no-results"><xsl:value-of select="i18n:t('sent-emails.none')"/></p></xsl:if>
  </xsl:template>

  <xsl:template match="page[@name='sent-email']" mode="content">
    <xsl:variable name="m" select="message"/>
    <h1><xsl:value-of select="i18n:t('sent-emails.one', $m/@sent-at)"/></h1>
    <p><a href="/admin/sent-emails"><xsl:value-of select="i18n:t('sent-emails.title')"/></a></p>
    <p id="sent-email-sender"><xsl:value-of select="i18n:t('sent-emails.by', $m/@sender, $m/@sender-authority, $m/@sender-email)"/></p>
    <xsl:if test="$m/@widened"><p class="small" id="sent-email-widened"><xsl:value-of select="i18n:t('sent-emails.widened')"/></p></xsl:if>
    <table tabindex="0" class="list" id="sent-email-counts" data-message="{$m/@id}">
      <thead><tr><xsl:call-template name="sent-email-heads"/></tr></thead>
      <tbody><tr><xsl:call-template name="sent-email-counts"><xsl:with-param name="m" select="$m"/></xsl:call-template></tr></tbody>
    </table>
    <p class="small"><xsl:value-of select="i18n:t('sent-emails.counts-help')"/></p>
    <h2><xsl:value-of select="i18n:t('send-email.message')"/></h2>
    <p><strong><xsl:value-of select="i18n:t('mail.send-email.subject')"/></strong></p>
    <div class="card plain-text" id="sent-email-text"><xsl:value-of select="$m"/></div>
    <h2><xsl:value-of select="i18n:t('sent-emails.authorities')"/></h2>
    <ul id="sent-email-authorities">
      <xsl:for-each select="authorities/authority">
        <li data-authority="{@id}"><a href="/authorities/{@id}"><xsl:value-of select="."/></a> (<xsl:value-of select="i18n:t(concat('country.', @country))"/>)</li>
      </xsl:for-each>
    </ul>
    <xsl:if test="count(authorities/authority) &lt; $m/@authorities">
      <p class="small"><xsl:value-of select="i18n:plural('plural.more-authorities', $m/@authorities - count(authorities/authority))"/></p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

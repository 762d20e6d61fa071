<?xml version="1.0" encoding="UTF-8"?>
<!-- common.xsl — named templates shared by the pages. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i18n="urn:imiflow:i18n"
    exclude-result-prefixes="i18n">

  <!-- The CSRF token every POST form carries. -->
  <xsl:template name="csrf">
    <input type="hidden" name="csrf" value="{/page/csrf}"/>
  </xsl:template>
</xsl:stylesheet>

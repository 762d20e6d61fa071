<?xml version="1.0" encoding="UTF-8"?>
<!--
  bare.xsl — the stylesheet of bench/bare.c: the frame of xslt/page.xsl and the instance
  list of xslt/pages/workflows.xsl, with the labels written out (the bare page has no
  language and no user), so the bare page's HTML is that of /workflows in size and shape.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat" indent="no"/>

  <xsl:template match="/page">
    <html lang="en">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Workflows – imiflow</title>
        <link rel="stylesheet" href="/static/imiflow.css"/>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">imiflow</a>
          <nav class="menu" aria-label="Main menu">
            <ul>
              <li><a href="/">Home</a></li>
              <li><a href="/tasks" id="nav-tasks">Tasks</a></li>
              <li><a href="/requests" id="nav-requests">Requests</a></li>
              <li><a href="/scoreboard" id="nav-scoreboard">Scoreboard</a></li>
              <li><a href="/authorities" id="nav-search">Authorities</a></li>
              <li><a href="/admin/my-authority" id="nav-my-authority">My authority</a></li>
              <li><a href="/workflows">Workflows</a></li>
            </ul>
          </nav>
        </header>
        <main id="main" data-page="workflows" data-status="200">
          <h1>Workflows</h1>
          <h2>Latest instances</h2>
          <ul id="instances">
            <xsl:for-each select="instances/instance">
              <li><a href="/instances/{@id}">#<xsl:value-of select="@id"/></a>
                <xsl:text> </xsl:text><xsl:value-of select="@definition"/>
                <xsl:text> – </xsl:text><xsl:value-of select="@state"/></li>
            </xsl:for-each>
          </ul>
        </main>
        <footer>Request bare</footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>

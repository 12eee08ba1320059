// Package browsertest drives the API reference page (docgen's HTML output,
// served live by server.Server.DocsHandler) in a real headless Chromium
// with chromedp. It is a module of its own so that the core module keeps
// its dependencies.
//
// The tests need Debian's chromium (apt-get install chromium). Without it
// they skip, except when CI=true, where they fail.
package browsertest

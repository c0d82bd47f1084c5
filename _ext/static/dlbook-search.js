// Search results in the search page's language first: Korean chapters on the Korean search page
// (search-ko.html, where Korean pages send their searches), English ones on search.html.
// Sphinx's searchtools.js passes every result [docname, title, anchor, descr, score, filename]
// through Scorer.score before sorting by score; its scores are tens, so the bonus puts the
// language first and leaves the order within each language to Sphinx.
(() => {
  const prefix = `chapters/${document.documentElement.lang}/`;
  const sphinxScore = Scorer.score;
  Scorer.score = (result) => {
    const score = sphinxScore ? sphinxScore(result) : result[4];
    return result[0].startsWith(prefix) ? score + 1e6 : score;
  };
})();

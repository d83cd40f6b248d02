// Live updates: when a new run is stored, swap in the fresh page content (no reload).
(function () {
  if (!window.EventSource || document.body.dataset.live === 'off') return;  // error pages stay
  var prefix = document.querySelector('link[rel=stylesheet]').getAttribute('href').replace(/\/static\/style\.css$/, '');
  var source = new EventSource(prefix + '/events');
  source.addEventListener('run', function (event) {
    var runId = JSON.parse(event.data).run_id;
    if (String(runId) === document.body.dataset.runId) return;
    fetch(window.location.href, { headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        document.getElementById('live').innerHTML = doc.getElementById('live').innerHTML;
        document.getElementById('freshness').innerHTML = doc.getElementById('freshness').innerHTML;
        document.body.dataset.runId = doc.body.dataset.runId;
      })
      .catch(function () { /* the next event tries again */ });
  });
})();

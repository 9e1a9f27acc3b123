// Mounts the dashboard charts. Each chart is a <div data-chart="ID"> next to a
// <script type="application/json" id="ID"> data block holding {"option": ..., "links": [...]}
// (a data block is not executed, so the Content-Security-Policy's script-src 'self' holds).
// A click on a bar, slice, funnel step or map area follows the matching drill-down link, if any.
// A map chart names its boundary file ({"map": {"name", "url"}}, same origin): it is fetched and
// registered once per page before the chart is drawn.
(function () {
  "use strict";
  var maps = {};
  function withMap(spec, draw) {
    if (!spec.map) {
      draw();
      return;
    }
    var name = spec.map.name;
    if (!maps[name]) {
      maps[name] = fetch(spec.map.url, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (geo) {
          window.echarts.registerMap(name, geo);
        });
    }
    maps[name].then(draw);
  }
  function mount(el) {
    if (el.dataset.mounted || typeof window.echarts === "undefined") {
      return;
    }
    var source = document.getElementById(el.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    el.dataset.mounted = "0";
    withMap(spec, function () {
      draw(el, spec);
    });
  }
  function draw(el, spec) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(spec.option);
    el.dataset.mounted = "1";
    var links = spec.links || [];
    chart.on("click", function (params) {
      var href = links[params.dataIndex];
      if (href) {
        window.location.assign(href);
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }
  function mountAll() {
    document.querySelectorAll("[data-chart]").forEach(mount);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
  document.addEventListener("htmx:afterSwap", mountAll);
})();

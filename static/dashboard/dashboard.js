// The dashboard's charts: each [data-chart] element names the json_script holding its data
// ({type, title, categories/labels, series, links}); every chart element links to its records.
(function () {
  "use strict";

  const PALETTE = ["#a4161a", "#1d4e89", "#e09f3e", "#2a9d8f", "#6f4e7c", "#8c8c8c", "#0b6e4f", "#c05621"];
  const PRINT_WIDTH = 640;
  const charts = [];

  function readSpec(element) {
    const source = document.getElementById(element.dataset.chart);
    return source ? JSON.parse(source.textContent) : null;
  }

  function large() {
    return document.querySelector("[data-dashboard].dash-present") !== null;
  }

  function pieOption(spec, fontSize, narrow) {
    const series = spec.series[0] || { name: "", data: [] };
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0, textStyle: { fontSize: fontSize } },
      series: [
        {
          type: "pie",
          name: series.name,
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          label: { show: !narrow, formatter: "{b}: {c}", fontSize: fontSize },
          data: spec.labels.map((label, index) => ({ name: label, value: series.data[index] })),
        },
      ],
    };
  }

  function axisOption(spec, fontSize) {
    const horizontal = Boolean(spec.horizontal);
    const suffix = spec.percent ? "%" : "";
    const category = {
      type: "category",
      data: spec.categories,
      inverse: horizontal, // the first row on top, as in the table
      axisLabel: { fontSize: fontSize, width: horizontal ? 140 : 90, overflow: "truncate", hideOverlap: true },
    };
    const value = {
      type: "value",
      minInterval: 1,
      axisLabel: { fontSize: fontSize, formatter: "{value}" + suffix },
    };
    if (spec.percent) {
      value.max = 100;
    }
    const several = spec.series.length > 1;
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: spec.type === "line" ? "line" : "shadow" } },
      legend: several ? { top: 0, type: "scroll", textStyle: { fontSize: fontSize } } : undefined,
      grid: { left: 8, right: horizontal ? 56 : 24, top: several ? 36 : 24, bottom: 8 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map((entry) => ({
        type: spec.type === "line" ? "line" : "bar",
        name: entry.name,
        data: entry.data,
        symbolSize: 8,
        itemStyle: entry.color ? { color: entry.color } : undefined,
        lineStyle: entry.color ? { color: entry.color } : undefined,
        label: {
          show: spec.type !== "line" || spec.categories.length <= 12,
          position: horizontal ? "right" : "top",
          fontSize: fontSize,
          formatter: (point) => (point.value ? point.value + suffix : ""),
        },
        cursor: "pointer",
      })),
    };
  }

  function option(spec, element) {
    const fontSize = large() ? 18 : 12;
    // On a phone the pie's labels crowd out the pie: the legend and the tooltip name the slices.
    const narrow = element.clientWidth < 420;
    return spec.type === "pie" ? pieOption(spec, fontSize, narrow) : axisOption(spec, fontSize);
  }

  function fitHeight(element, spec) {
    // Horizontal bars: one band per row, so long lists stay readable.
    if (spec.horizontal && spec.type !== "pie") {
      const band = large() ? 44 : 30;
      element.style.height = Math.max(220, spec.categories.length * band * Math.max(1, spec.series.length * 0.6) + 70) + "px";
    }
  }

  function draw(element) {
    const spec = readSpec(element);
    if (!spec || typeof echarts === "undefined") {
      return;
    }
    fitHeight(element, spec);
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(spec, element));
    chart.on("click", (point) => {
      const links = spec.links[point.seriesIndex] || [];
      const url = links[point.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    charts.push({ chart: chart, spec: spec, element: element });
  }

  function redraw() {
    charts.forEach((entry) => {
      fitHeight(entry.element, entry.spec);
      entry.chart.setOption(option(entry.spec, entry.element), true);
      entry.chart.resize();
    });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);

  let pending = null;
  window.addEventListener("resize", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(redraw, 150);
  });

  // Printing: a fixed width, so a chart is not cut at the page edge; back to the screen after.
  window.addEventListener("beforeprint", () => charts.forEach((entry) => entry.chart.resize({ width: PRINT_WIDTH })));
  window.addEventListener("afterprint", () => charts.forEach((entry) => entry.chart.resize()));

  // Large type for a projector: toggles the class and keeps ?present=1 in the address.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-present-toggle]");
    if (!button) {
      return;
    }
    const frame = document.querySelector("[data-dashboard]");
    const on = frame.classList.toggle("dash-present");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    const url = new URL(window.location.href);
    if (on) {
      url.searchParams.set("present", "1");
    } else {
      url.searchParams.delete("present");
    }
    window.history.replaceState(null, "", url);
    redraw();
  });
})();

/*
 * Small SVG line charts for the dashboard: one line per series over shared categories (days or weeks), a point mark
 * with a tooltip (<title>) for each value, axes with labelled ticks and a legend. A missing value breaks the line.
 * The chart is an image for screen readers (role="img", named by its title and description); the figures themselves
 * are in the table the dashboard puts beside it.
 */
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  // Okabe-Ito colours, told apart with most colour-vision deficiencies; each series also gets its own mark shape.
  const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
  const SHAPES = ['circle', 'square', 'diamond', 'triangle'];
  let counter = 0;

  function node(name, attributes, parent) {
    const element = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([key, value]) => element.setAttribute(key, String(value)));
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  function text(parent, x, y, content, attributes) {
    const element = node('text', Object.assign({x: x, y: y}, attributes || {}), parent);
    element.textContent = content;
    return element;
  }

  /** Round tick steps (1, 2, 5 times a power of ten) so that about five ticks cover 0..max. */
  function ticks(max) {
    if (!(max > 0)) {
      return [0, 1];
    }
    const rough = max / 5;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= rough);
    const values = [];
    for (let v = 0; v < max + step; v += step) {
      values.push(Number(v.toPrecision(12)));
      if (v >= max) {
        break;
      }
    }
    return values;
  }

  function mark(parent, shape, x, y, colour) {
    const size = 4.5;
    switch (shape) {
      case 'square':
        return node('rect', {x: x - size, y: y - size, width: 2 * size, height: 2 * size, fill: colour}, parent);
      case 'diamond':
        return node('polygon', {points: [[x, y - size - 1], [x + size + 1, y], [x, y + size + 1], [x - size - 1, y]].join(' '),
          fill: colour}, parent);
      case 'triangle':
        return node('polygon', {points: [[x, y - size - 1], [x + size + 1, y + size], [x - size - 1, y + size]].join(' '),
          fill: colour}, parent);
      default:
        return node('circle', {cx: x, cy: y, r: size, fill: colour}, parent);
    }
  }

  /**
   * A line chart as an <svg> element.
   * options: title, description, categories (labels along the x axis, in order), series ([{name, values}], one value
   * per category, null where there is none), unit (the values' unit, for the y axis and the tooltips), format
   * (value -> text).
   */
  function lineChart(options) {
    const id = 'chart-' + (++counter);
    const width = 560, height = 280;
    const margin = {top: 16, right: 16, bottom: 64, left: 56};
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    const format = options.format || (v => String(v));
    const categories = options.categories;
    const all = options.series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
    const yTicks = ticks(Math.max(0, ...all));
    const yMax = yTicks[yTicks.length - 1] || 1;
    const inset = 36;   // room for the first and last labels, centred under their marks
    const x = i => margin.left + (categories.length === 1 ? plotWidth / 2
      : inset + i * (plotWidth - 2 * inset) / (categories.length - 1));
    const y = v => margin.top + plotHeight - v / yMax * plotHeight;

    const svg = node('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'aria-labelledby': `${id}-title ${id}-desc`});
    const title = node('title', {id: `${id}-title`}, svg);
    title.textContent = options.title;
    const desc = node('desc', {id: `${id}-desc`}, svg);
    desc.textContent = options.description;

    const axes = node('g', {class: 'axes', 'aria-hidden': 'true'}, svg);
    yTicks.forEach(v => {
      node('line', {x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v), class: 'grid'}, axes);
      text(axes, margin.left - 8, y(v) + 4, format(v), {'text-anchor': 'end', class: 'tick'});
    });
    text(axes, 14, margin.top + plotHeight / 2, options.unit, {
      'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 14 ${margin.top + plotHeight / 2})`});
    node('line', {x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), class: 'axis'}, axes);
    const every = Math.max(1, Math.ceil(categories.length / 8));
    categories.forEach((label, i) => {
      if (i % every === 0 || i === categories.length - 1) {
        node('line', {x1: x(i), x2: x(i), y1: y(0), y2: y(0) + 4, class: 'axis'}, axes);
        text(axes, x(i), y(0) + 18, label, {'text-anchor': 'middle', class: 'tick'});
      }
    });

    const marks = node('g', {class: 'marks'}, svg);
    options.series.forEach((series, s) => {
      const colour = COLOURS[s % COLOURS.length];
      const shape = SHAPES[s % SHAPES.length];
      const group = node('g', {class: 'series', 'data-series': series.name}, marks);
      let run = [];
      const flush = () => {
        if (run.length > 1) {
          node('polyline', {points: run.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2}, group);
        }
        run = [];
      };
      series.values.forEach((value, i) => {
        if (value === null || value === undefined) {
          flush();
          return;
        }
        run.push(`${x(i)},${y(value)}`);
      });
      flush();
      series.values.forEach((value, i) => {
        if (value === null || value === undefined) {
          return;
        }
        const point = mark(group, shape, x(i), y(value), colour);
        point.setAttribute('class', 'mark');
        point.setAttribute('data-value', String(value));
        const tip = node('title', {}, point);
        tip.textContent = `${series.name}, ${categories[i]}: ${format(value)} ${options.unit}`;
      });
    });

    const legend = node('g', {class: 'legend', 'aria-hidden': 'true'}, svg);
    let lx = margin.left;
    options.series.forEach((series, s) => {
      mark(legend, SHAPES[s % SHAPES.length], lx + 5, height - 14, COLOURS[s % COLOURS.length]);
      const label = text(legend, lx + 14, height - 10, series.name, {class: 'legend-label'});
      lx += 24 + 7.5 * series.name.length;
      label.setAttribute('data-series', series.name);
    });
    return svg;
  }

  window.NightshiftCharts = {lineChart: lineChart, ticks: ticks};
})();

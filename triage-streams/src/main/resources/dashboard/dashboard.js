/*
 * The dashboard: open incidents by team, MTTR and MTTA per team over time (charts with their tables), the figures
 * per team, coverage and what to automate next (#/), and an incident's timeline with its post-mortem draft
 * (#/incidents/{id}). Everything comes from triage's own API; data is always written as text, never as markup.
 */
(function () {
  'use strict';

  const page = new URLSearchParams(window.location.search);
  const settings = {
    window: choice(page.get('window'), ['24h', '7d', '30d', 'all'], '30d'),
    per: choice(page.get('per'), ['day', 'week'], 'day'),
    until: page.get('until') || ''
  };
  const WINDOW_NAMES = {'24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days', 'all': 'all retained incidents'};
  const OPEN_STATES = ['OPEN', 'ACKNOWLEDGED'];
  const STEP_KINDS = ['run', 'step', 'enrichment', 'handover'];

  function choice(value, allowed, fallback) {
    return allowed.includes(value) ? value : fallback;
  }

  // ---- building the page, as text only ----

  function el(name, attributes, ...children) {
    const element = document.createElement(name);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (value !== null && value !== undefined && value !== false) {
        element.setAttribute(key, String(value));
      }
    });
    children.flat().forEach(child => {
      if (child === null || child === undefined) {
        return;
      }
      element.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return element;
  }

  function section(id, heading, ...content) {
    return el('section', {id: id, 'aria-labelledby': id + '-heading'}, el('h2', {id: id + '-heading'}, heading), ...content);
  }

  /** A table with a caption, column headers (scope=col) and, when firstIsHeader, a row header (scope=row) per row. */
  function table(caption, headers, rows, options) {
    const opts = options || {};
    return el('table', {class: opts.className || null, id: opts.id || null},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map(h => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows.map(cells => el('tr', {}, cells.map((cell, i) =>
        i === 0 && opts.firstIsHeader !== false ? el('th', {scope: 'row'}, cell) : el('td', {}, cell))))));
  }

  function message(text, role) {
    return el('p', {class: 'message', role: role || null}, text);
  }

  // ---- formatting ----

  function utc(iso, withSeconds) {
    if (!iso) {
      return '—';
    }
    return new Date(iso).toISOString().slice(0, withSeconds ? 19 : 16).replace('T', ' ') + ' UTC';
  }

  function minutes(seconds) {
    if (seconds === null || seconds === undefined) {
      return null;
    }
    return Math.round(seconds / 6) / 10;
  }

  function number(value) {
    return value === null || value === undefined ? '—' : String(value);
  }

  function percent(share) {
    return share === null || share === undefined ? '—' : Math.round(share * 100) + ' %';
  }

  function periodLabel(iso) {
    return iso.slice(0, 10);
  }

  // ---- the API ----

  function api(path, params) {
    const query = new URLSearchParams(params || {});
    if (settings.until && params && params.window) {
      query.set('until', settings.until);
    }
    const url = path + (query.toString() ? '?' + query : '');
    return fetch(url, {headers: {Accept: 'application/json'}}).then(response => {
      if (!response.ok) {
        return response.text().then(body => {
          throw new Error(`${url} answered ${response.status}: ${body}`);
        });
      }
      return response.json();
    });
  }

  function failed(container, what) {
    return error => {
      container.replaceChildren(message(`Could not load ${what}: ${error.message}`, 'alert'));
    };
  }

  // ---- the overview (#/) ----

  function overview(main) {
    const openIncidents = el('div', {}, message('Loading the open incidents…'));
    const overTime = el('div', {}, message('Loading MTTR and MTTA over time…'));
    const perTeam = el('div', {}, message('Loading the figures per team…'));
    const coverage = el('div', {}, message('Loading the coverage…'));
    const candidates = el('div', {}, message('Loading the candidates…'));
    const scope = `Closed incidents that opened in ${WINDOW_NAMES[settings.window]}` +
      (settings.until ? ` up to ${utc(settings.until)}` : '') + '.';
    main.replaceChildren(
      section('open', 'Open incidents by team', openIncidents),
      section('over-time', `MTTR and MTTA per team, per ${settings.per}`, el('p', {class: 'scope'}, scope), overTime),
      section('per-team', 'Per team', el('p', {class: 'scope'}, scope), perTeam),
      section('coverage', 'Automation coverage', el('p', {class: 'scope'}, scope), coverage),
      section('candidates', 'What to automate next', el('p', {class: 'scope'},
        'Kinds of alert people handled, ranked by how often they fired times the time people spent on one.'), candidates));

    api('/v1/incidents').then(incidents => showOpenIncidents(openIncidents, incidents)).catch(failed(openIncidents, 'the open incidents'));
    api('/v1/analytics/mttr', {by: 'team', window: settings.window, per: settings.per})
      .then(rows => showOverTime(overTime, rows)).catch(failed(overTime, 'MTTR and MTTA over time'));
    api('/v1/analytics/mttr', {by: 'team', window: settings.window})
      .then(rows => showPerTeam(perTeam, rows)).catch(failed(perTeam, 'the figures per team'));
    api('/v1/analytics/coverage', {window: settings.window})
      .then(rows => showCoverage(coverage, rows)).catch(failed(coverage, 'the coverage'));
    api('/v1/analytics/candidates', {window: settings.window, limit: '10'})
      .then(rows => showCandidates(candidates, rows)).catch(failed(candidates, 'the candidates'));
  }

  function showOpenIncidents(container, incidents) {
    const open = incidents.filter(i => OPEN_STATES.includes(i.state));
    if (open.length === 0) {
      container.replaceChildren(message('No open incidents.'));
      return;
    }
    const byTeam = new Map();
    open.forEach(i => {
      const team = (i.owner && i.owner.team) || 'unowned';
      byTeam.set(team, (byTeam.get(team) || []).concat([i]));
    });
    const teams = [...byTeam.keys()].sort();
    container.replaceChildren(...teams.map(team => {
      const rows = byTeam.get(team).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
      const stepCells = new Map();
      const tableElement = table(`Open incidents of team ${team}`,
        ['Alert', 'Incident', 'Severity', 'State', 'Opened', 'Latest change', 'Current step'],
        rows.map(i => {
          const step = el('span', {class: 'step'}, i.playbook ? `playbook ${i.playbook}` : 'no playbook');
          stepCells.set(i.incidentId, step);
          return [i.name, el('a', {href: '#/incidents/' + encodeURIComponent(i.incidentId)}, i.incidentId), i.severity,
            el('span', {class: 'state state-' + i.state.toLowerCase()}, i.state), utc(i.openedAt), i.change, step];
        }), {className: 'incidents'});
      tableElement.setAttribute('data-team', team);
      rows.forEach(i => currentStep(i, stepCells.get(i.incidentId)));
      return el('div', {class: 'team'}, el('h3', {}, team, el('span', {class: 'count'}, ` (${rows.length} open)`)), tableElement);
    }));
  }

  /** The incident's latest playbook run or step, from its timeline, into {@code cell}. */
  function currentStep(incident, cell) {
    api('/v1/incidents/' + encodeURIComponent(incident.incidentId) + '/timeline').then(timeline => {
      const steps = timeline.entries.filter(e => STEP_KINDS.includes(e.kind));
      if (steps.length > 0) {
        cell.textContent = steps[steps.length - 1].text;
      } else if (incident.playbook) {
        cell.textContent = `playbook ${incident.playbook}: no step yet`;
      }
    }).catch(() => {
      cell.textContent += ' (its timeline could not be loaded)';
    });
  }

  function showOverTime(container, rows) {
    if (rows.length === 0) {
      container.replaceChildren(message('No closed incidents in this window.'));
      return;
    }
    const periods = [...new Set(rows.map(r => r.periodStart))].sort();
    const teams = [...new Set(rows.map(r => r.team))].sort();
    const value = (team, period, field) => {
      const row = rows.find(r => r.team === team && r.periodStart === period);
      return row ? minutes(row[field]) : null;
    };
    const figure = (id, name, field, meaning) => {
      const series = teams.map(team => ({name: team, values: periods.map(p => value(team, p, field))}));
      const labels = periods.map(periodLabel);
      const chart = window.NightshiftCharts.lineChart({
        title: `${name} per team per ${settings.per}`,
        description: `${meaning}, in minutes, per team for each ${settings.per} starting on the date shown; ` +
          `the same figures are in the table "${name} per team per ${settings.per} (minutes)".`,
        categories: labels, series: series, unit: 'minutes', format: v => String(v)
      });
      chart.setAttribute('id', id + '-chart');
      const figures = table(`${name} per team per ${settings.per} (minutes)`,
        [settings.per === 'week' ? 'Week from' : 'Day', ...teams],
        periods.map((p, i) => [labels[i], ...teams.map(team => number(value(team, p, field)))]), {id: id + '-table'});
      return el('div', {class: 'chart-with-table', id: id},
        el('figure', {}, chart, el('figcaption', {}, `${name}: ${meaning.toLowerCase()}.`)), figures);
    };
    container.replaceChildren(
      figure('mttr', 'MTTR', 'mttrMeanSeconds', 'Mean time to resolve, from opening to resolve'),
      figure('mtta', 'MTTA', 'mttaMeanSeconds', 'Mean time to acknowledge, from opening to the first acknowledgement'));
  }

  function showPerTeam(container, rows) {
    if (rows.length === 0) {
      container.replaceChildren(message('No closed incidents in this window.'));
      return;
    }
    container.replaceChildren(table('MTTR, MTTA and automation per team (times in minutes)',
      ['Team', 'Incidents', 'MTTR mean', 'MTTR p50', 'MTTR p90', 'MTTA mean', 'MTTA p90', 'First automated step, mean',
        'Resolved by automation alone', 'Responder time saved'],
      rows.map(r => [r.team, r.incidents, number(minutes(r.mttrMeanSeconds)), number(minutes(r.mttrP50Seconds)),
        number(minutes(r.mttrP90Seconds)), number(minutes(r.mttaMeanSeconds)), number(minutes(r.mttaP90Seconds)),
        number(minutes(r.timeToFirstAutomatedStepMeanSeconds)), percent(r.resolvedByAutomationShare),
        number(minutes(r.responderTimeSavedSeconds))]), {id: 'per-team-table'}));
  }

  function kindRows(rows, withScore) {
    return rows.map(r => [r.alertName, r.category, r.playbooks || '—', r.fired, r.playbookRuns, r.automatedSteps,
      r.manualSteps, r.resolvedByAutomation, r.handledByPeople, number(minutes(r.peopleMeanSeconds))]
      .concat(withScore ? [number(minutes(r.score))] : []));
  }

  const KIND_HEADERS = ['Alert', 'Category', 'Playbooks', 'Fired', 'Playbook ran', 'Automated steps', 'Manual steps',
    'Resolved by automation', 'Handled by people', 'People’s mean time (minutes)'];

  function showCoverage(container, rows) {
    if (rows.length === 0) {
      container.replaceChildren(message('No closed incidents in this window.'));
      return;
    }
    container.replaceChildren(table('Per kind of alert, most frequent first', KIND_HEADERS, kindRows(rows, false),
      {id: 'coverage-table'}));
  }

  function showCandidates(container, rows) {
    if (rows.length === 0) {
      container.replaceChildren(message('No candidates: people handled no closed incident in this window.'));
      return;
    }
    container.replaceChildren(table('Candidates for automation, highest score first',
      KIND_HEADERS.concat(['Score (fired × people’s minutes)']), kindRows(rows, true), {id: 'candidates-table'}));
  }

  // ---- an incident (#/incidents/{id}) ----

  function incidentPage(main, id) {
    const summary = el('div', {}, message('Loading the incident…'));
    const timeline = el('div', {}, message('Loading its timeline…'));
    const path = '/v1/incidents/' + encodeURIComponent(id);
    const draft = el('pre', {class: 'postmortem'}, 'Open to load the draft.');
    const draftBox = el('details', {id: 'postmortem'}, el('summary', {}, 'Post-mortem draft (Markdown)'), draft);
    draftBox.addEventListener('toggle', () => {
      if (draftBox.open && !draftBox.dataset.loaded) {
        draftBox.dataset.loaded = 'yes';
        fetch(path + '/postmortem', {headers: {Accept: 'text/markdown'}})
          .then(r => r.ok ? r.text() : Promise.reject(new Error('answered ' + r.status)))
          .then(text => { draft.textContent = text; })
          .catch(e => { draft.textContent = 'Could not load the draft: ' + e.message; });
      }
    });
    main.replaceChildren(
      el('p', {}, el('a', {href: '#/'}, '← All incidents and figures')),
      el('h2', {id: 'incident-heading'}, 'Incident ', el('code', {}, id)),
      summary,
      el('p', {}, el('a', {href: path + '/postmortem', id: 'postmortem-link'}, 'Post-mortem draft'),
        ' (Markdown, to paste into your post-mortem document) · ',
        el('a', {href: path + '/timeline'}, 'the timeline as JSON')),
      section('timeline', 'Timeline', timeline),
      draftBox);
    main.focus();

    api(path).then(incident => {
      summary.replaceChildren(el('dl', {class: 'summary'},
        ...[['Alert', incident.name], ['Team', incident.owner && incident.owner.team], ['Service', incident.owner && incident.owner.service],
          ['State', incident.state], ['Severity', incident.severity], ['Category', incident.category],
          ['Playbook', incident.playbook || 'none'], ['Opened', utc(incident.openedAt)],
          ['Acknowledged', incident.acknowledgedAt ? utc(incident.acknowledgedAt) + (incident.acknowledgedBy ? ' by ' + incident.acknowledgedBy : '') : '—'],
          ['Resolved', utc(incident.resolvedAt)], ['Alerts', incident.occurrences]]
          .flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, number(value))])));
    }).catch(failed(summary, 'the incident'));

    api(path + '/timeline').then(answer => {
      if (answer.entries.length === 0) {
        timeline.replaceChildren(message('No records yet.'));
        return;
      }
      timeline.replaceChildren(el('ol', {class: 'timeline'}, answer.entries.map(entry =>
        el('li', {class: 'entry kind-' + entry.kind},
          el('time', {datetime: entry.at}, utc(entry.at, true)), ' ',
          el('span', {class: 'kind'}, entry.kind), ' ',
          el('span', {class: 'text'}, entry.text),
          details(entry.details)))));
    }).catch(failed(timeline, 'the timeline'));
  }

  /** A step's plan, approvers, before and after, results: what a responder looks for. */
  function details(values) {
    const shown = ['plan', 'approvedBy', 'before', 'after', 'results', 'guardrail', 'instructions', 'error']
      .filter(key => values && values[key] !== undefined);
    if (shown.length === 0) {
      return null;
    }
    return el('dl', {class: 'details'}, shown.flatMap(key => [el('dt', {}, key),
      el('dd', {}, typeof values[key] === 'object' ? JSON.stringify(values[key]) : String(values[key]))]));
  }

  // ---- routing ----

  function route() {
    const main = document.getElementById('main');
    const match = window.location.hash.match(/^#\/incidents\/(.+)$/);
    if (match) {
      document.title = 'nightshift: incident ' + decodeURIComponent(match[1]);
      incidentPage(main, decodeURIComponent(match[1]));
    } else {
      document.title = 'nightshift: incidents and analytics';
      overview(main);
    }
  }

  function start() {
    const form = document.getElementById('controls');
    form.elements.window.value = settings.window;
    form.elements.per.value = settings.per;
    if (settings.until) {
      form.elements.until.value = settings.until;
    } else {
      form.elements.until.remove();
    }
    window.addEventListener('hashchange', route);
    route();
  }

  start();
})();

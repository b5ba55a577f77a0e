// The roster import form: sends an XLSX or CSV file and shows the counts, or every located error of a
// rejected file (nothing changes then), like the bank upload does.
import * as api from './api.js';
import { byId, el } from './dom.js';
import { t } from './i18n.js';
import { createResultBox, progressMessage } from './issues.js';

// "updated" counts every member whose record changed, moves included; "moved" is that part of it.
const COUNTS = ['created', 'updated', 'moved', 'unchanged', 'unitsCreated'];

function countsMessage(result) {
  return [
    el('span', null, t('roster.imported')),
    COUNTS.map((name) => el('span', { class: 'import-count' + (name === 'moved' ? ' import-count-part' : ''), 'data-count': name },
      t('roster.count.' + name, { count: result[name] || 0 }))),
  ];
}

// getUnit() → the unit being shown ({id, name} or null); onImported(result) refreshes the page.
export function initRosterImport(getUnit, onImported) {
  const form = byId('roster-import-form');
  const fileInput = byId('roster-file');
  const submit = byId('roster-import-submit');
  const result = createResultBox({
    box: 'roster-result', message: 'roster-message', errors: 'roster-errors',
    warnings: 'roster-warnings', warningsTitle: 'roster-warnings-title',
  });

  const toggle = byId('toggle-import');
  toggle.addEventListener('click', () => {
    const box = byId('roster-import');
    box.hidden = !box.hidden;
    toggle.setAttribute('aria-expanded', box.hidden ? 'false' : 'true');
    if (!box.hidden) fileInput.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      result.show('invalid-input', t('roster.chooseFile'));
      return;
    }
    const unit = getUnit();
    const relative = byId('roster-relative').checked && unit;
    submit.disabled = true;
    result.show('pending', t('roster.importing', { file: file.name }));
    try {
      const outcome = await api.importRoster(file, {
        unit: relative ? unit.id : '',
        createUnits: byId('roster-create-units').checked,
        onProgress: (progress) => result.show('pending', progressMessage(t('roster.importing', { file: file.name }), progress)),
      });
      result.show('success', countsMessage(outcome), [], outcome.warnings);
      form.reset();
      onImported(outcome);
    } catch (error) {
      if (error.status === 422 && error.errors.length) {
        result.show('rejected', t('roster.rejected', { count: error.errors.length }), error.errors, error.warnings);
      } else {
        result.show('error', t('import.failed', { message: error.message }), [], error.warnings);
      }
    } finally {
      submit.disabled = false;
    }
  });

  return {
    // The relative-path option names the unit it is relative to.
    setUnit(unit) {
      byId('roster-relative-label').textContent = unit
        ? t('roster.relativeTo', { name: unit.name })
        : t('roster.relative');
      byId('roster-relative').disabled = !unit;
    },
  };
}

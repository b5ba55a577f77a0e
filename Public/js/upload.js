// The upload form: sends the chosen file with its owner unit and sharing, and shows the outcome, including
// every located error of a rejected file so the author can fix them all in one pass.
import { byId } from './dom.js';
import { uploadBank, isAddressableName } from './api.js';
import { t } from './i18n.js';
import { baseName } from './format.js';
import { createResultBox, progressMessage } from './issues.js';

// onImported(result) runs after a successful import so the page can refresh and select the bank;
// ownerUnit() → the owner unit id chosen in the form ('' for the whole organization).
export function initUpload(onImported, ownerUnit) {
  const form = byId('upload-form');
  const fileInput = byId('upload-file');
  const nameInput = byId('upload-name');
  const submit = byId('upload-submit');
  const result = createResultBox({
    box: 'upload-result', message: 'upload-message', errors: 'upload-errors',
    warnings: 'upload-warnings', warningsTitle: 'upload-warnings-title',
  });
  // Only names we filled in ourselves follow the file; a name the user typed is theirs to keep.
  let nameIsDefault = true;

  nameInput.addEventListener('input', () => {
    nameIsDefault = nameInput.value.trim() === '';
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    if (file && nameIsDefault) nameInput.value = baseName(file.name);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      result.show('invalid-input', t('banks.chooseFile'));
      return;
    }
    const name = nameInput.value.trim() || baseName(file.name);
    if (!isAddressableName(name)) {
      result.show('invalid-input', t('banks.dotName'));
      return;
    }
    submit.disabled = true;
    result.show('pending', t('banks.uploading', { name: name }));
    try {
      const outcome = await uploadBank(name, file, byId('upload-format').value, {
        unit: ownerUnit(), shared: byId('upload-shared').checked,
        onProgress: (progress) => result.show('pending', progressMessage(t('banks.uploading', { name: name }), progress)),
      });
      result.show('success', t('banks.uploaded', {
        name: outcome.bank, version: outcome.version, count: outcome.questionCount, format: outcome.format,
      }), [], outcome.warnings);
      form.reset();
      nameIsDefault = true;
      onImported(outcome);
    } catch (error) {
      if (error.status === 422 && error.errors.length) {
        result.show('rejected', t('banks.rejected', { count: error.errors.length }), error.errors, error.warnings);
      } else {
        result.show('error', t('import.failed', { message: error.message }), [], error.warnings);
      }
    } finally {
      submit.disabled = false;
    }
  });
}

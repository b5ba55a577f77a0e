// The upload form: sends the chosen file and shows the outcome, including every located error of a
// rejected file so the author can fix them all in one pass.
import { byId, el, replaceChildren } from './dom.js';
import { uploadBank, isAddressableName } from './api.js';
import { baseName } from './format.js';

function issueItem(issue) {
  return el('li', null, el('span', { class: 'issue-location' }, issue.location), ': ' + issue.message);
}

function showIssues(listId, titleId, issues) {
  const list = byId(listId);
  replaceChildren(list, issues.map(issueItem));
  list.hidden = issues.length === 0;
  if (titleId) byId(titleId).hidden = issues.length === 0;
}

function showResult(state, message, errors, warnings) {
  const box = byId('upload-result');
  box.hidden = false;
  box.setAttribute('data-state', state);
  box.classList.toggle('is-success', state === 'success');
  box.classList.toggle('is-error', state !== 'success' && state !== 'pending');
  byId('upload-message').textContent = message;
  showIssues('upload-errors', null, errors || []);
  showIssues('upload-warnings', 'upload-warnings-title', warnings || []);
}

// onImported(result) runs after a successful import so the page can refresh and select the bank.
export function initUpload(onImported) {
  const form = byId('upload-form');
  const fileInput = byId('upload-file');
  const nameInput = byId('upload-name');
  const submit = byId('upload-submit');
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
      showResult('invalid-input', '请先选择题库文件。');
      return;
    }
    const name = nameInput.value.trim() || baseName(file.name);
    if (!isAddressableName(name)) {
      showResult('invalid-input', '题库名称不能是“.”或“..”，请换一个名称。');
      return;
    }
    submit.disabled = true;
    showResult('pending', '正在上传并导入「' + name + '」……');
    try {
      const result = await uploadBank(name, file, byId('upload-format').value);
      showResult('success',
        '导入成功：「' + result.bank + '」第 ' + result.version + ' 版，共 ' + result.questionCount + ' 题（格式：' +
        result.format + '）。', [], result.warnings);
      form.reset();
      nameIsDefault = true;
      onImported(result);
    } catch (error) {
      if (error.status === 422 && error.errors.length) {
        showResult('rejected',
          '文件未导入，题库没有任何改动。请修改以下 ' + error.errors.length + ' 处错误后重新上传：',
          error.errors, error.warnings);
      } else {
        showResult('error', '上传失败：' + error.message, [], error.warnings);
      }
    } finally {
      submit.disabled = false;
    }
  });
}

// The JSON API client. Every failure reaches callers as an ApiError carrying the server's message and,
// for a rejected import, its located errors and warnings.

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : fallbackMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.errors = (body && body.errors) || [];
    this.warnings = (body && body.warnings) || [];
  }
}

function fallbackMessage(status) {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status === 413) return '文件太大，无法上传';
  return '服务器出错（HTTP ' + status + '）';
}

// Built by hand rather than with URLSearchParams: that encodes spaces as "+", which the server keeps as a
// literal "+", so a bank named "a b" would arrive as "a+b". Empty values are left out.
export function queryString(params) {
  const parts = [];
  Object.keys(params || {}).forEach((key) => {
    const value = params[key];
    if (value === undefined || value === null || value === '') return;
    parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
  });
  return parts.length ? '?' + parts.join('&') : '';
}

// Browsers resolve "." and ".." path segments (even as %2E) before sending, so such banks cannot be
// addressed from a page at all; fail clearly instead of silently hitting another URL.
export function isAddressableName(name) {
  return name !== '.' && name !== '..';
}

function bankPath(name) {
  if (!isAddressableName(name)) throw new ApiError(400, { error: '名称为“' + name + '”的题库无法在浏览器中打开或删除' });
  return '/api/banks/' + encodeURIComponent(name);
}

async function request(method, url, options) {
  const init = Object.assign({
    method: method,
    headers: { Accept: 'application/json' },
    // Old WebViews default to "omit"; sessions will need the cookie once sign-in exists.
    credentials: 'same-origin',
  }, options);
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, null);
  }
  const body = await readJson(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

async function readJson(response) {
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch (error) {
    return null; // e.g. a proxy's HTML error page: the status alone has to do
  }
}

export async function listBanks() {
  const body = await request('GET', '/api/banks');
  return body.banks;
}

export async function getBank(name) {
  return request('GET', bankPath(name));
}

// filters: { type, category, difficulty, tag, q, version, page, perPage }
export async function getQuestions(name, filters) {
  return request('GET', bankPath(name) + '/questions' + queryString(filters));
}

// Sends the file's bytes as the body; resolves to { bank, version, questionCount, format, warnings }.
export function uploadBank(name, file, format) {
  const url = '/api/banks' + queryString({ name: name, filename: file.name, format: format });
  return request('POST', url, {
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
    body: file,
  });
}

export async function deleteBank(name) {
  return request('DELETE', bankPath(name));
}

export function exportUrl(name, format, version) {
  return bankPath(name) + '/export' + queryString({ format: format, version: version });
}

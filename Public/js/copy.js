// Copying a link from a read-only text box, shared by the pages that hand out links (invitations, contests).

// Copies with the Clipboard API where the page may (HTTPS or localhost); elsewhere — plain HTTP on a LAN
// address, old WebViews — selects the text and tries the old copy command, else asks for a manual copy.
export async function copyText(input) {
  const text = input.value;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      // permission refused: fall back below
    }
  }
  input.focus();
  input.select();
  input.setSelectionRange(0, text.length);
  try {
    return document.execCommand('copy');
  } catch (error) {
    return false;
  }
}

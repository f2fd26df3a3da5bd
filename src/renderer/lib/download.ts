/** Saves text the page made (an export, a recovery kit) as a file, through a short-lived blob: URL. */
export function downloadText(chunks: readonly string[], fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([...chunks], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click starts the download synchronously; the URL only needs to outlive it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

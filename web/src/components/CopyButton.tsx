import { useState } from 'react';
import Button from 'antd/es/button';
import CheckOutlined from '@ant-design/icons/es/icons/CheckOutlined';
import CopyOutlined from '@ant-design/icons/es/icons/CopyOutlined';
import { useToast } from '../toast';

/** Selects what `element` shows: an input's value (focused, so that Ctrl+C
 *  and the copy command read it), or any other element's text. */
function selectShown(element: HTMLElement) {
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    element.focus();
    element.select();
  } else {
    window.getSelection()?.selectAllChildren(element);
  }
}

/** Puts `text` on the clipboard; where the browser refuses, selects it in
 *  the element with the id `shownIn` and tries the older copy command. True
 *  once copied; false when not, the text left selected for the person. */
async function copyToClipboard(text: string, shownIn: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const element = document.getElementById(shownIn);
    if (!element) return false;
    selectShown(element);
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** "Copy", then "Copied" with a check and a toast. Where the browser allows
 *  no copying at all, the text is left selected and a toast says so. */
export function CopyButton({ text, shownIn, copiedMessage, selectedMessage, label = 'Copy', subject, id }: {
  text: string;
  /** The id of the element that shows `text` (an input, or an element whose
   *  text it is): what is selected where the clipboard is refused. */
  shownIn: string;
  /** The toast once copied: "API key copied." */
  copiedMessage: string;
  /** What the refusal's toast says is left selected: "The key is selected",
   *  "The codes are selected". */
  selectedMessage: string;
  /** The words before copying; "Copied" after. */
  label?: string;
  /** What is copied, where "Copy" alone would leave a screen reader's user
   *  guessing: "the SCIM base URL" names the button "Copy the SCIM base URL",
   *  then "Copied the SCIM base URL". */
  subject?: string;
  id?: string;
}) {
  const message = useToast();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (await copyToClipboard(text, shownIn)) {
      setCopied(true);
      message.success(copiedMessage);
    } else {
      message.warning(`The browser did not allow copying. ${selectedMessage}: copy with Ctrl+C (⌘C on a Mac).`);
    }
  };
  return (
    <Button
      id={id}
      aria-label={subject && `${copied ? 'Copied' : 'Copy'} ${subject}`}
      icon={copied ? <CheckOutlined aria-hidden /> : <CopyOutlined aria-hidden />}
      onClick={() => void copy()}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}

import { markup } from '@gw/platform';
import { layout } from './layout.page';

/** A page that says what went wrong and where to go on. */
export function errorPage(
  frame: { csrf: string; signedIn: boolean },
  title: string,
  text: string,
): string {
  return layout(
    { title, ...frame },
    markup`<h1>${title}</h1><section class="card"><p>${text}</p><p>${
      frame.signedIn
        ? markup`<a href="/accounts">К лицевым счетам</a>`
        : markup`<a href="/login">Ко входу в кабинет</a>`
    }</p></section>`,
  );
}

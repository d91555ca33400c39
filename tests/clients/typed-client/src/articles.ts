// A typed front end's reads: the article list and one article with its body. The types of
// each answer and its variables come from GraphQL Code Generator (src/gql/, generated from
// schema.graphql); `tsc --strict` checks this file against them.
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

import { graphql } from "./gql/index.js";
import type { ArticleQuery } from "./gql/graphql.js";

export const ArticleListDocument = graphql(`
  query ArticleList($page: Int!, $perPage: Int!, $category: String) {
    articles(page: $page, perPage: $perPage, category: $category) {
      totalCount
      hasNextPage
      items {
        id
        title
        url
        publishedAt
        summary
        categories {
          name
          slug
        }
      }
    }
  }
`);

export const ArticleDocument = graphql(`
  query Article($slug: String!) {
    article(slug: $slug) {
      title
      subtitle
      publishedAt
      body {
        __typename
        ... on HeadingBlock {
          text
          level
        }
        ... on ParagraphBlock {
          html
        }
        ... on FigureBlock {
          alt
          caption
          image {
            srcset(widths: [320, 640])
          }
        }
        ... on QuoteBlock {
          html
          speakerName
          speakerRole
        }
        ... on KeyFiguresBlock {
          heading
          figures {
            label
            value
          }
        }
        ... on MediaEmbedBlock {
          url
          title
          embedHtml
        }
        ... on CallToActionBlock {
          callToAction {
            heading
            buttonLabel
            target {
              url
            }
          }
        }
      }
    }
  }
`);

type GraphQLAnswer<T> = { data?: T | null; errors?: { message: string }[] };

/** POST one operation; the document's type gives the answer's and the variables' types. */
export async function request<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json;q=0.9",
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const answer = (await response.json()) as GraphQLAnswer<TResult>;
  if (answer.errors?.length || !answer.data) {
    throw new Error(answer.errors?.map((error) => error.message).join("; ") ?? "no data");
  }
  return answer.data;
}

type Block = NonNullable<ArticleQuery["article"]>["body"][number];

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** One block as HTML: each branch sees only its own block type's fields. */
export function blockHtml(block: Block): string {
  switch (block.__typename) {
    case "HeadingBlock":
      return `<${block.level}>${escape(block.text)}</${block.level}>`;
    case "ParagraphBlock":
      return block.html;
    case "FigureBlock":
      return block.image
        ? `<figure><img srcset="${block.image.srcset}" alt="${escape(block.alt)}">` +
            `<figcaption>${escape(block.caption ?? "")}</figcaption></figure>`
        : "";
    case "QuoteBlock":
      return `<blockquote>${block.html}<cite>${escape(block.speakerName)}</cite></blockquote>`;
    case "KeyFiguresBlock":
      return `<dl>${block.figures
        .map((figure) => `<dt>${escape(figure.value)}</dt><dd>${escape(figure.label)}</dd>`)
        .join("")}</dl>`;
    case "MediaEmbedBlock":
      return block.embedHtml ?? `<a href="${escape(block.url)}">${escape(block.title ?? block.url)}</a>`;
    case "CallToActionBlock": {
      const { heading, buttonLabel, target } = block.callToAction;
      return target.url
        ? `<a class="cta" href="${escape(target.url)}">${escape(heading)}: ${escape(buttonLabel)}</a>`
        : `<p class="cta">${escape(heading)}</p>`;
    }
    default:
      return ""; // a block type this front end does not know yet
  }
}

/** The newest articles' titles, and the first one's body as HTML. */
export async function firstPage(endpoint: string): Promise<{ titles: string[]; html: string }> {
  const { articles } = await request(endpoint, ArticleListDocument, { page: 1, perPage: 10 });
  const titles = articles.items.map((item) => item.title);
  const first = articles.items[0];
  if (!first?.url) return { titles, html: "" };
  const slug = decodeURIComponent(first.url.split("/").filter(Boolean).pop() ?? "");
  const { article } = await request(endpoint, ArticleDocument, { slug });
  return { titles, html: article ? article.body.map(blockHtml).join("\n") : "" };
}

/* ast.c - node construction and the --dump-ast view. */
#include "ast.h"

#include <string.h>

static const char *kind_names[] = {
#define X(k) #k,
    AST_KINDS(X)
#undef X
};

const char *ast_kind_name(AstKind k)
{
    return k < AST_KIND_COUNT ? kind_names[k] : "?";
}

Node *ast_new(Arena *a, uint32_t id, AstKind k, uint32_t start, uint32_t end)
{
    Node *n = arena_zalloc(a, sizeof *n);
    n->kind = k;
    n->id = id;
    n->start = start;
    n->end = end;
    return n;
}

void ast_push(Arena *a, Node *n, Node *kid)
{
    if (n->nkids == n->capkids) {
        uint32_t cap = n->capkids ? n->capkids * 2 : 4;
        Node **k = arena_alloc(a, cap * sizeof *k);
        if (n->nkids)
            memcpy(k, n->kids, n->nkids * sizeof *k);
        n->kids = k;
        n->capkids = cap;
    }
    n->kids[n->nkids++] = kid;
}

static const char *op_text[] = {"+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">="};

const char *ast_op_text(AstOp op)
{
    return op_text[op];
}

static const char *ftype_names[] = {"number", "integer", "percent", "bool", "text"};

static void dump_num(FILE *out, const Node *n)
{
    char buf[DEC_BUFSZ];
    Dec d = n->num;
    if (n->pct)
        dec_shift_up(d, 2, &d);
    dec_format(d, buf);
    fprintf(out, "%s%s", buf, n->pct ? "%" : "");
}

static void dump(FILE *out, const Node *n, int indent)
{
    fprintf(out, "%*s%s", indent * 2, "", ast_kind_name(n->kind));
    if (n->name)
        fprintf(out, " %s", n->name);
    switch (n->kind) {
    case AST_NUM:
        fputc(' ', out);
        dump_num(out, n);
        break;
    case AST_BOOL:
        fprintf(out, " %s", n->bval ? "true" : "false");
        break;
    case AST_BIN:
        fprintf(out, " %s", op_text[n->op]);
        break;
    case AST_CHAIN:
        for (uint32_t i = 0; i + 1 < n->nkids; i++)
            fprintf(out, " %s", op_text[n->ops[i]]);
        break;
    case AST_FACT:
        fprintf(out, " : %s", ftype_names[n->ftype]);
        if (n->lo) {
            fputc(' ', out);
            dump_num(out, n->lo);
        }
        if (n->lo || n->hi)
            fputs("..", out);
        if (n->hi)
            dump_num(out, n->hi);
        break;
    case AST_QUOTA:
        fprintf(out, " %s", op_text[n->qop]);
        break;
    default:
        break;
    }
    if (n->weight) {
        fputs(" weight ", out);
        dump_num(out, n->weight);
    }
    if (n->max) {
        fputs(" max ", out);
        dump_num(out, n->max);
    }
    if (n->base) {
        fputs(" base ", out);
        dump_num(out, n->base);
    }
    if (n->floor) {
        fputs(" floor ", out);
        dump_num(out, n->floor);
    }
    if (n->cap) {
        fputs(" cap ", out);
        dump_num(out, n->cap);
    }
    if (n->str)
        fprintf(out, " \"%s\"", n->str);
    fputc('\n', out);
    if (n->kind == AST_RULE && !n->a)
        fprintf(out, "%*selse\n", indent * 2 + 2, "");
    if (n->rater)
        dump(out, n->rater, indent + 1);
    if (n->a)
        dump(out, n->a, indent + 1);
    if (n->b)
        dump(out, n->b, indent + 1);
    for (uint32_t i = 0; i < n->nkids; i++)
        dump(out, n->kids[i], indent + 1);
}

void ast_dump(FILE *out, const Node *n)
{
    dump(out, n, 0);
}

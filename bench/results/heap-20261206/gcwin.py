import sys
rows=[]
for l in open(sys.argv[1]):
    if 'gc=' not in l: continue
    f=l.split()
    try:
        t=int(f[0]); g=l.split('gc=')[1].split(); ga=[float(x) for x in l.split(']=')[1].split('gc=')[0].split()]
        if len(ga)<1 or len(g)<13: continue
        ga=ga+[-1]*(4-len(ga))
        rows.append(dict(t=t,ts=f[1],idx=int(f[4].split('=')[1]),deliv=ga[0],mbx=ga[1],summ=ga[2],unap=ga[3],fgc=int(g[8]),gct=float(g[-1])))
    except Exception: pass
prev=rows[0]; k=1
print("window | stored by its end | GC share | full GCs so far | peak unapplied | peak index fds | cached mailboxes / summaries at end")
peak_u=0; peak_i=0
for r in rows:
    peak_u=max(peak_u,r['unap']); peak_i=max(peak_i,r['idx'])
    if r['deliv']>=120000*k:
        dt=r['t']-prev['t']; share=(r['gct']-prev['gct'])/dt*100 if dt else 0
        print(f"{k} | {int(r['deliv']):,} | {share:.1f}% | {r['fgc']} | {int(peak_u):,} | {peak_i:,} | {int(r['mbx']):,} / {int(r['summ']):,}")
        prev=r; k+=1; peak_u=0; peak_i=0

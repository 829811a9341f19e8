/* logaddexp of double as a vector loop body: m + log1p(e^-d), m = max(a, b),
 * d = |a - b|, to about 2^-62 absolute in the log1p term, and the sum with m
 * compensated, so that the result is correctly rounded nearly always, also
 * where m < 0 and the sum cancels (a result near 0).
 *
 * d = dh + dl exactly (TwoSum). e^-d = 2^k 2^(j/256) e^(rh + rl) with
 * kf = k 256 + j = round(-d 256/ln2), rh = -dh - kf ln2/256 exact (the fma
 * of the first part of ln2/256 with an integer under 2^18 lands on at most
 * 52 bits), |rh| <= ln2/512; e^r - 1 = rh + rh^2 Q(rh) + rl (1 + rh) (Q to
 * r^3/120, truncation under 2^-66), and t = T (1 + em) as th + tl.
 * u = 1 + t = uh + ulh + tl (uh = 1 + th, ulh its rounding error, exact
 * by Fast2Sum, tl kept apart), then log u = -log(r_i) + log1p(z),
 * z = uh r_i - 1 with r_i = 1 / c_i, c_i the middle of uh's 1/256 interval
 * (c_i from uh's bits, so the division is the same one the table took),
 * except in the first, where c_0 = 1: there z = t (zh = uh - 1, zl = ulh)
 * and log1p keeps its relative accuracy however small t is (m ~ 0 with
 * a large |a - b|). |z| <= 2^-9 (2^-8 in the first interval), z = zh + zl
 * + zt (zh exact by Sterbenz, zl the product's rounding error by an fma
 * plus ulh r_i, zt = tl r_i; zh + zl as a Fast2Sum wh + wl, so that where
 * zh = 0, t < 2^-53, wh = th and tl still counts), log1p(z) = z - z^2/2 + z^3 P(z)
 * (P to z^8/8, truncation under z 2^-67). -log(r_i) + wh is summed exactly
 * (Fast2Sum: |wh| <= -log(r_i) or -log(r_i) = 0), then m + that by TwoSum,
 * the low parts last.
 *
 * For |a - b| < CT_LAE_D_SMALL and a, b finite; elsewhere the value is
 * garbage but finite work (d is clamped, so the table indices stay in range).
 * ct_lae_exp_hi/lo: 2^(j/256) as double pairs; ct_lae_log_hi/lo: -log(1/c_i)
 * for c_i = 1 + (i + 1/2)/256 (0 < i < 256), 1/c_i the rounded double
 * quotient, 0 for i = 0 (c_0 = 1) and ln 2 for i = 256 (u = 2, a = b: z = 0
 * and the sum with m is exact to 2^-106, also at m = -ln 2); all to 2^-106
 * (mpmath at 300 bits). */
#ifndef CT_FASTMATH_LAE_H
#define CT_FASTMATH_LAE_H

#include "fastmath.h"

static const double ct_lae_exp_hi[256] = {
    0x1.0000000000000p+0, 0x1.00b1afa5abcbfp+0, 0x1.0163da9fb3335p+0, 0x1.02168143b0281p+0,
    0x1.02c9a3e778061p+0, 0x1.037d42e11bbccp+0, 0x1.04315e86e7f85p+0, 0x1.04e5f72f654b1p+0,
    0x1.059b0d3158574p+0, 0x1.0650a0e3c1f89p+0, 0x1.0706b29ddf6dep+0, 0x1.07bd42b72a836p+0,
    0x1.0874518759bc8p+0, 0x1.092bdf66607e0p+0, 0x1.09e3ecac6f383p+0, 0x1.0a9c79b1f3919p+0,
    0x1.0b5586cf9890fp+0, 0x1.0c0f145e46c85p+0, 0x1.0cc922b7247f7p+0, 0x1.0d83b23395decp+0,
    0x1.0e3ec32d3d1a2p+0, 0x1.0efa55fdfa9c5p+0, 0x1.0fb66affed31bp+0, 0x1.1073028d7233ep+0,
    0x1.11301d0125b51p+0, 0x1.11edbab5e2ab6p+0, 0x1.12abdc06c31ccp+0, 0x1.136a814f204abp+0,
    0x1.1429aaea92de0p+0, 0x1.14e95934f312ep+0, 0x1.15a98c8a58e51p+0, 0x1.166a45471c3c2p+0,
    0x1.172b83c7d517bp+0, 0x1.17ed48695bbc0p+0, 0x1.18af9388c8deap+0, 0x1.1972658375d2fp+0,
    0x1.1a35beb6fcb75p+0, 0x1.1af99f8138a1cp+0, 0x1.1bbe084045cd4p+0, 0x1.1c82f95281c6bp+0,
    0x1.1d4873168b9aap+0, 0x1.1e0e75eb44027p+0, 0x1.1ed5022fcd91dp+0, 0x1.1f9c18438ce4dp+0,
    0x1.2063b88628cd6p+0, 0x1.212be3578a819p+0, 0x1.21f49917ddc96p+0, 0x1.22bdda27912d1p+0,
    0x1.2387a6e756238p+0, 0x1.2451ffb82140ap+0, 0x1.251ce4fb2a63fp+0, 0x1.25e85711ece75p+0,
    0x1.26b4565e27cddp+0, 0x1.2780e341ddf29p+0, 0x1.284dfe1f56381p+0, 0x1.291ba7591bb70p+0,
    0x1.29e9df51fdee1p+0, 0x1.2ab8a66d10f13p+0, 0x1.2b87fd0dad990p+0, 0x1.2c57e39771b2fp+0,
    0x1.2d285a6e4030bp+0, 0x1.2df961f641589p+0, 0x1.2ecafa93e2f56p+0, 0x1.2f9d24abd886bp+0,
    0x1.306fe0a31b715p+0, 0x1.31432edeeb2fdp+0, 0x1.32170fc4cd831p+0, 0x1.32eb83ba8ea32p+0,
    0x1.33c08b26416ffp+0, 0x1.3496266e3fa2dp+0, 0x1.356c55f929ff1p+0, 0x1.36431a2de883bp+0,
    0x1.371a7373aa9cbp+0, 0x1.37f26231e754ap+0, 0x1.38cae6d05d866p+0, 0x1.39a401b7140efp+0,
    0x1.3a7db34e59ff7p+0, 0x1.3b57fbfec6cf4p+0, 0x1.3c32dc313a8e5p+0, 0x1.3d0e544ede173p+0,
    0x1.3dea64c123422p+0, 0x1.3ec70df1c5175p+0, 0x1.3fa4504ac801cp+0, 0x1.40822c367a024p+0,
    0x1.4160a21f72e2ap+0, 0x1.423fb2709468ap+0, 0x1.431f5d950a897p+0, 0x1.43ffa3f84b9d4p+0,
    0x1.44e086061892dp+0, 0x1.45c2042a7d232p+0, 0x1.46a41ed1d0057p+0, 0x1.4786d668b3237p+0,
    0x1.486a2b5c13cd0p+0, 0x1.494e1e192aed2p+0, 0x1.4a32af0d7d3dep+0, 0x1.4b17dea6db7d7p+0,
    0x1.4bfdad5362a27p+0, 0x1.4ce41b817c114p+0, 0x1.4dcb299fddd0dp+0, 0x1.4eb2d81d8abffp+0,
    0x1.4f9b2769d2ca7p+0, 0x1.508417f4531eep+0, 0x1.516daa2cf6642p+0, 0x1.5257de83f4eefp+0,
    0x1.5342b569d4f82p+0, 0x1.542e2f4f6ad27p+0, 0x1.551a4ca5d920fp+0, 0x1.56070dde910d2p+0,
    0x1.56f4736b527dap+0, 0x1.57e27dbe2c4cfp+0, 0x1.58d12d497c7fdp+0, 0x1.59c0827ff07ccp+0,
    0x1.5ab07dd485429p+0, 0x1.5ba11fba87a03p+0, 0x1.5c9268a5946b7p+0, 0x1.5d84590998b93p+0,
    0x1.5e76f15ad2148p+0, 0x1.5f6a320dceb71p+0, 0x1.605e1b976dc09p+0, 0x1.6152ae6cdf6f4p+0,
    0x1.6247eb03a5585p+0, 0x1.633dd1d1929fdp+0, 0x1.6434634ccc320p+0, 0x1.652b9febc8fb7p+0,
    0x1.6623882552225p+0, 0x1.671c1c70833f6p+0, 0x1.68155d44ca973p+0, 0x1.690f4b19e9538p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6b052fa75173ep+0, 0x1.6c012750bdabfp+0, 0x1.6cfdcddd47645p+0,
    0x1.6dfb23c651a2fp+0, 0x1.6ef9298593ae5p+0, 0x1.6ff7df9519484p+0, 0x1.70f7466f42e87p+0,
    0x1.71f75e8ec5f74p+0, 0x1.72f8286ead08ap+0, 0x1.73f9a48a58174p+0, 0x1.74fbd35d7cbfdp+0,
    0x1.75feb564267c9p+0, 0x1.77024b1ab6e09p+0, 0x1.780694fde5d3fp+0, 0x1.790b938ac1cf6p+0,
    0x1.7a11473eb0187p+0, 0x1.7b17b0976cfdbp+0, 0x1.7c1ed0130c132p+0, 0x1.7d26a62ff86f0p+0,
    0x1.7e2f336cf4e62p+0, 0x1.7f3878491c491p+0, 0x1.80427543e1a12p+0, 0x1.814d2add106d9p+0,
    0x1.82589994cce13p+0, 0x1.8364c1eb941f7p+0, 0x1.8471a4623c7adp+0, 0x1.857f4179f5b21p+0,
    0x1.868d99b4492edp+0, 0x1.879cad931a436p+0, 0x1.88ac7d98a6699p+0, 0x1.89bd0a478580fp+0,
    0x1.8ace5422aa0dbp+0, 0x1.8be05bad61778p+0, 0x1.8cf3216b5448cp+0, 0x1.8e06a5e0866d9p+0,
    0x1.8f1ae99157736p+0, 0x1.902fed0282c8ap+0, 0x1.9145b0b91ffc6p+0, 0x1.925c353aa2fe2p+0,
    0x1.93737b0cdc5e5p+0, 0x1.948b82b5f98e5p+0, 0x1.95a44cbc8520fp+0, 0x1.96bdd9a7670b3p+0,
    0x1.97d829fde4e50p+0, 0x1.98f33e47a22a2p+0, 0x1.9a0f170ca07bap+0, 0x1.9b2bb4d53fe0dp+0,
    0x1.9c49182a3f090p+0, 0x1.9d674194bb8d5p+0, 0x1.9e86319e32323p+0, 0x1.9fa5e8d07f29ep+0,
    0x1.a0c667b5de565p+0, 0x1.a1e7aed8eb8bbp+0, 0x1.a309bec4a2d33p+0, 0x1.a42c980460ad8p+0,
    0x1.a5503b23e255dp+0, 0x1.a674a8af46052p+0, 0x1.a799e1330b358p+0, 0x1.a8bfe53c12e59p+0,
    0x1.a9e6b5579fdbfp+0, 0x1.ab0e521356ebap+0, 0x1.ac36bbfd3f37ap+0, 0x1.ad5ff3a3c2774p+0,
    0x1.ae89f995ad3adp+0, 0x1.afb4ce622f2ffp+0, 0x1.b0e07298db666p+0, 0x1.b20ce6c9a8952p+0,
    0x1.b33a2b84f15fbp+0, 0x1.b468415b749b1p+0, 0x1.b59728de5593ap+0, 0x1.b6c6e29f1c52ap+0,
    0x1.b7f76f2fb5e47p+0, 0x1.b928cf22749e4p+0, 0x1.ba5b030a1064ap+0, 0x1.bb8e0b79a6f1fp+0,
    0x1.bcc1e904bc1d2p+0, 0x1.bdf69c3f3a207p+0, 0x1.bf2c25bd71e09p+0, 0x1.c06286141b33dp+0,
    0x1.c199bdd85529cp+0, 0x1.c2d1cd9fa652cp+0, 0x1.c40ab5fffd07ap+0, 0x1.c544778fafb22p+0,
    0x1.c67f12e57d14bp+0, 0x1.c7ba88988c933p+0, 0x1.c8f6d9406e7b5p+0, 0x1.ca3405751c4dbp+0,
    0x1.cb720dcef9069p+0, 0x1.ccb0f2e6d1675p+0, 0x1.cdf0b555dc3fap+0, 0x1.cf3155b5bab74p+0,
    0x1.d072d4a07897cp+0, 0x1.d1b532b08c968p+0, 0x1.d2f87080d89f2p+0, 0x1.d43c8eacaa1d6p+0,
    0x1.d5818dcfba487p+0, 0x1.d6c76e862e6d3p+0, 0x1.d80e316c98398p+0, 0x1.d955d71ff6075p+0,
    0x1.da9e603db3285p+0, 0x1.dbe7cd63a8315p+0, 0x1.dd321f301b460p+0, 0x1.de7d5641c0658p+0,
    0x1.dfc97337b9b5fp+0, 0x1.e11676b197d17p+0, 0x1.e264614f5a129p+0, 0x1.e3b333b16ee12p+0,
    0x1.e502ee78b3ff6p+0, 0x1.e653924676d76p+0, 0x1.e7a51fbc74c83p+0, 0x1.e8f7977cdb740p+0,
    0x1.ea4afa2a490dap+0, 0x1.eb9f4867cca6ep+0, 0x1.ecf482d8e67f1p+0, 0x1.ee4aaa2188510p+0,
    0x1.efa1bee615a27p+0, 0x1.f0f9c1cb6412ap+0, 0x1.f252b376bba97p+0, 0x1.f3ac948dd7274p+0,
    0x1.f50765b6e4540p+0, 0x1.f6632798844f8p+0, 0x1.f7bfdad9cbe14p+0, 0x1.f91d802243c89p+0,
    0x1.fa7c1819e90d8p+0, 0x1.fbdba3692d514p+0, 0x1.fd3c22b8f71f1p+0, 0x1.fe9d96b2a23d9p+0
};
static const double ct_lae_exp_lo[256] = {
    0x0.0p+0, -0x1.4f6b2a7609f71p-55, 0x1.b61299ab8cdb7p-54, -0x1.2bf310fc54eb6p-55,
    -0x1.19083535b085dp-56, 0x1.56811eeade11ap-57, -0x1.0a31c1977c96ep-54, 0x1.4c3793aa0d08dp-55,
    0x1.d73e2a475b465p-55, -0x1.5cb7b5799c397p-54, -0x1.c91dfe2b13c27p-55, 0x1.3233454458700p-55,
    0x1.186be4bb284ffp-57, -0x1.68063800a3fd1p-54, 0x1.1487818316136p-54, 0x1.5d16c873d1d38p-55,
    0x1.8a62e4adc610bp-54, 0x1.4f98906d21cefp-54, 0x1.01edc16e24f71p-54, -0x1.bc14de43f316ap-54,
    0x1.03a1727c57b53p-59, -0x1.49db9bc54021bp-54, -0x1.b9bedc44ebd7bp-57, 0x1.d46eb1692fdd5p-55,
    -0x1.6c51039449b3ap-54, -0x1.ca454f703fb72p-54, -0x1.1b514b36ca5c7p-58, -0x1.7108fba48dcf0p-57,
    -0x1.32fbf9af1369ep-54, -0x1.b91e839bf44abp-55, 0x1.2406ab9eeab0ap-55, 0x1.8f23b82ea1a32p-58,
    -0x1.19041b9d78a76p-55, 0x1.09e3fe2ac5a64p-56, -0x1.11023d1970f6cp-54, 0x1.4aadd85f17e08p-54,
    0x1.e5b4c7b4968e4p-55, 0x1.7bf85a4b69280p-54, -0x1.95386352ef607p-54, 0x1.009778010f8c9p-54,
    0x1.e016e00a2643cp-54, -0x1.6fdd8088cb6dep-54, -0x1.1df98027bb78cp-54, -0x1.bf524a097af5cp-54,
    0x1.dc775814a8495p-55, 0x1.3592d2cfcaac9p-54, 0x1.2a97e9494a5eep-55, 0x1.d34fb5577d69fp-55,
    0x1.9b07eb6c70573p-54, 0x1.acfcc911ca996p-55, 0x1.ac155bef4f4a4p-55, 0x1.3e1a24ac31b2cp-54,
    0x1.2bd339940e9d9p-55, 0x1.e067c05f9e76cp-54, -0x1.a4c3a8c3f0d7ep-54, -0x1.2cc7228401cbdp-55,
    0x1.612e8afad1255p-55, -0x1.95743191690a7p-54, -0x1.10adcd6381aa4p-59, -0x1.50145a6eb5124p-54,
    0x1.0024754db41d5p-54, 0x1.d16cffbbce198p-54, 0x1.1ca0f45d52383p-56, -0x1.53c55532bda93p-57,
    0x1.6f46ad23182e4p-55, 0x1.959a3f3f3fcd1p-55, 0x1.a9ce78e18047cp-55, -0x1.c45e83cb4f318p-54,
    0x1.32721843659a6p-54, -0x1.35a75930881a4p-55, -0x1.b5cee5c4e4628p-55, -0x1.c3144a06cb85ep-55,
    -0x1.63aeabf42eae2p-54, -0x1.9f5ca9eceb23cp-54, -0x1.e958d3c9904bdp-54, -0x1.9a9a5fc8e2934p-54,
    -0x1.5e436d661f5e3p-56, 0x1.54c66e26fff18p-54, -0x1.efff8375d29c3p-54, 0x1.fe8d08c284c71p-56,
    0x1.ada0911f09ebcp-55, -0x1.af6637b8c9bcap-55, -0x1.7d023f956f9f3p-54, 0x1.bddf8b6f4d048p-55,
    -0x1.ef3691c309278p-58, -0x1.8462dc0b314ddp-54, -0x1.1c7dde35f7999p-55, 0x1.880be9704c003p-55,
    0x1.89b7a04ef80d0p-59, -0x1.8641982fb1f8ep-57, 0x1.c944bd1648a76p-54, -0x1.c20f0ed445733p-54,
    0x1.3c1a3b69062f0p-56, -0x1.3b2895e499ea0p-55, 0x1.9cb62f3d1be56p-54, -0x1.125b87f2897f0p-55,
    0x1.d4397afec42e2p-56, 0x1.05e29690abd5dp-54, 0x1.8ecdbbc6a7833p-54, -0x1.5257d2e5d7a52p-54,
    -0x1.4b309d25957e3p-54, 0x1.a249b49b7465fp-56, -0x1.f768569bd93efp-55, -0x1.c998d43efef71p-56,
    -0x1.07abe1db13cadp-55, 0x1.7926d192d5f7ep-55, -0x1.d689cefede59bp-55, -0x1.0fb6e168eebf0p-54,
    0x1.9bb2c011d93adp-54, -0x1.0b98c8a57b9c4p-54, 0x1.295e15b9a1de8p-55, -0x1.7e2cee467e60fp-54,
    0x1.6324c054647adp-54, -0x1.b77a14c233e1ap-54, 0x1.c4b1b816986a2p-60, -0x1.cd6a7a8b45643p-54,
    0x1.ba6f93080e65ep-54, -0x1.9eadde3cdcf92p-55, -0x1.3e2429b56de47p-54, 0x1.e4b3e4ab84c27p-54,
    -0x1.383c17e40b497p-54, 0x1.84710beb964e5p-54, -0x1.c483c759d8933p-55, -0x1.ae3d5c9a73e09p-54,
    -0x1.bb60987591c34p-54, -0x1.e8732586c6134p-55, 0x1.038ae44f73e65p-57, 0x1.804bd9aeb445dp-55,
    -0x1.bdd3413b26456p-54, 0x1.a38f52c9a9d0ep-56, -0x1.2895667ff0b0dp-56, 0x1.c7aa9b6f17309p-54,
    -0x1.bbe3a683c88abp-57, -0x1.0b9749e1ac8b2p-54, -0x1.83c0f25860ef6p-55, 0x1.9d644d45aa65fp-58,
    -0x1.16e4786887a99p-55, -0x1.20aa02cd62c72p-54, -0x1.0a8d96c65d53cp-54, 0x1.047fd618a6e1cp-54,
    -0x1.0245957316dd3p-54, 0x1.b7877169147f8p-54, 0x1.866b80a02162dp-54, 0x1.349a862aadd3ep-54,
    -0x1.41577ee04992fp-55, -0x1.bebb58468dc88p-54, 0x1.f124cd1164dd6p-54, 0x1.1bddbfb72b8b4p-54,
    0x1.05d02ba15797ep-56, -0x1.07f11cf9311aep-55, -0x1.27c86626d972bp-54, 0x1.464370d151d4dp-54,
    -0x1.d4c1dd41532d8p-54, 0x1.99b9a31df2bd5p-54, -0x1.8d684a341cdfbp-55, -0x1.ba748f8b216d0p-58,
    -0x1.fc6f89bd4f6bap-54, 0x1.5d2d7d2db47bdp-55, 0x1.994c2f37cb53ap-54, 0x1.d53954475202bp-54,
    0x1.6e9f156864b27p-54, 0x1.ecb5efc43446ep-54, -0x1.0d55e32e9e3aap-56, -0x1.7114a6fc9b2e6p-54,
    0x1.5cc13a2e3976cp-55, 0x1.592ca85fe3fd2p-54, -0x1.dd6792e582524p-54, -0x1.3455fa639db7fp-55,
    -0x1.75fc781b57ebcp-57, -0x1.dc3d6797d2d99p-55, -0x1.64b7c96a5f039p-56, -0x1.ba5967f19c896p-58,
    -0x1.d185b7c1b85d1p-54, 0x1.cabdaa24c78edp-56, -0x1.173bd91cee632p-54, -0x1.dd84e4df6d518p-54,
    0x1.c7c46b071f2bep-56, -0x1.516bea3dd8233p-54, 0x1.824ca78e64c6ep-56, -0x1.4a9ceaaf1facep-55,
    -0x1.359495d1cd533p-54, 0x1.c6618ee8be70ep-54, 0x1.6305c7ddc36abp-54, -0x1.aa780589fb120p-54,
    -0x1.d2f6edb8d41e1p-54, 0x1.50f5630670366p-57, 0x1.bcb7ecac563c7p-54, -0x1.4f867b2ba15a9p-54,
    0x1.0fac90ef7fd31p-54, 0x1.89c31dae94545p-55, -0x1.f9234cae76cd0p-55, 0x1.7ef3bb6b1b8e5p-54,
    0x1.7a1cd345dcc81p-54, -0x1.4b2fc0f315ecdp-54, -0x1.bdef54c80e425p-54, 0x1.4dd024a0756ccp-54,
    -0x1.2805e3084d708p-57, -0x1.f763de9df7c90p-56, -0x1.c71dfbbba6de3p-54, 0x1.2a8f352883f6ep-54,
    -0x1.5584f7e54ac3bp-56, -0x1.b721654cb65c6p-54, -0x1.efcd30e54292ep-54, -0x1.f52d1c9696205p-60,
    0x1.23dd07a2d9e84p-55, -0x1.c262360ea5b52p-60, -0x1.efdca3f6b9c73p-54, -0x1.d8a5aa1fbca34p-55,
    0x1.11065895048ddp-55, -0x1.6e51617c8a5d7p-54, 0x1.b4537e083c60ap-54, 0x1.12f072493b5afp-54,
    0x1.2884dff483cadp-54, -0x1.e76bbbe255559p-55, 0x1.1acbc48805c44p-56, -0x1.7f2bed10d08f5p-55,
    0x1.503cbd1e949dbp-56, -0x1.d220f86009093p-56, -0x1.dd83b53829d72p-55, -0x1.a08e9b86dff57p-54,
    -0x1.cbc3743797a9cp-54, 0x1.55636219a36eep-54, -0x1.d487b719d8578p-54, 0x1.3db53bf5a1614p-54,
    0x1.2ed02d75b3707p-55, 0x1.fe87a4a8165a0p-58, -0x1.11ec18beddfe8p-54, 0x1.a052dbb9af6bep-54,
    0x1.c2300696db532p-54, -0x1.b76f1926b8be4p-54, 0x1.2da5778f018c3p-54, -0x1.ca5528e79ba8fp-54,
    -0x1.1a5cd4f184b5cp-54, -0x1.2b529bd5c7f44p-56, -0x1.7b627817a1496p-54, -0x1.9f4a431fdc68bp-54,
    0x1.39e8980a9cc8fp-55, -0x1.63ff87522b735p-55, 0x1.2d522ca0c8de2p-54, -0x1.1089480b054b1p-54,
    -0x1.e9c23179c2893p-54, 0x1.4832f2293e4f2p-54, -0x1.c93f3b411ad8cp-54, 0x1.1c68da487568dp-54,
    0x1.dc7f486a4b6b0p-54, -0x1.3220065181d45p-54, 0x1.3a1a5bf0d8e43p-54, -0x1.95a5a3ed837dep-56,
    0x1.9d3e12dd8a18bp-54, 0x1.fa37b3539343ep-54, -0x1.dbb12d006350ap-54, -0x1.12ea8a779f689p-57,
    0x1.74853f3a5931ep-55, -0x1.9677315098eb6p-56, 0x1.2eb74966579e7p-57, 0x1.4a6037442fde3p-56
};
static const double ct_lae_log_hi[257] = {
    0x0.0p+0, 0x1.7ee11ebd82ec4p-8, 0x1.3e7295d25a7d5p-7, 0x1.bcf712c743853p-7,
    0x1.1d7f7eb9eebf1p-6, 0x1.5c45a51b8d393p-6, 0x1.9ace7551cc515p-6, 0x1.d91a66c543cbep-6,
    0x1.0b94f7c196173p-5, 0x1.2a7ec2214e879p-5, 0x1.494acc34d911dp-5, 0x1.67f94f094bd92p-5,
    0x1.868a83083f6d0p-5, 0x1.a4fe9ffa3d233p-5, 0x1.c355dd0921f2fp-5, 0x1.e19070c276010p-5,
    0x1.ffae9119b92fbp-5, 0x1.0ed839b5526fep-4, 0x1.1dcb263db1944p-4, 0x1.2cb0283f5de22p-4,
    0x1.3b87598b1b6f0p-4, 0x1.4a50d3aa1b03fp-4, 0x1.590cafdf01c26p-4, 0x1.67bb0726ec0fbp-4,
    0x1.765bf23a6be17p-4, 0x1.84ef898e82828p-4, 0x1.9375e55595edfp-4, 0x1.a1ef1d8061cd8p-4,
    0x1.b05b49bee4403p-4, 0x1.beba818146764p-4, 0x1.cd0cdbf8c13e0p-4, 0x1.db5270187d925p-4,
    0x1.e98b54967146bp-4, 0x1.f7b79fec37de2p-4, 0x1.02ebb42bf3d4ap-3, 0x1.09f561ee719c4p-3,
    0x1.10f8e422539b1p-3, 0x1.17f6458fca611p-3, 0x1.1eed90e2dc2c3p-3, 0x1.25ded0abc6ad3p-3,
    0x1.2cca0f5f5f252p-3, 0x1.33af575770e4dp-3, 0x1.3a8eb2d31a375p-3, 0x1.41682bf727bbfp-3,
    0x1.483bccce6e3dcp-3, 0x1.4f099f4a230b1p-3, 0x1.55d1ad4232d70p-3, 0x1.5c940075972b9p-3,
    0x1.6350a28aaa759p-3, 0x1.6a079d0f7aad0p-3, 0x1.70b8f97a1aa74p-3, 0x1.7764c128f2127p-3,
    0x1.7e0afd630c276p-3, 0x1.84abb75865137p-3, 0x1.8b46f8223625bp-3, 0x1.91dcc8c340bdfp-3,
    0x1.986d3228180c8p-3, 0x1.9ef83d2769a34p-3, 0x1.a57df28244dcbp-3, 0x1.abfe5ae46124ap-3,
    0x1.b2797ee46320cp-3, 0x1.b8ef670420c3bp-3, 0x1.bf601bb0e44e0p-3, 0x1.c5cba543ae424p-3,
    0x1.cc320c0176501p-3, 0x1.d293581b6b3e7p-3, 0x1.d8ef91af31d5ep-3, 0x1.df46c0c722d30p-3,
    0x1.e598ed5a87e2ep-3, 0x1.ebe61f4dd7b0bp-3, 0x1.f22e5e72f105cp-3, 0x1.f871b28955045p-3,
    0x1.feb0233e607cep-3, 0x1.0274dc16c232fp-2, 0x1.058f3c703ebc5p-2, 0x1.08a73667c57aep-2,
    0x1.0bbccdb0d24bcp-2, 0x1.0ed005f657da5p-2, 0x1.11e0e2dad9cb6p-2, 0x1.14ef67f88685ap-2,
    0x1.17fb98e15095ep-2, 0x1.1b05791f07b4ap-2, 0x1.1e0d0c33716bdp-2, 0x1.211255986160cp-2,
    0x1.241558bfd1405p-2, 0x1.27161913f853dp-2, 0x1.2a1499f762bcap-2, 0x1.2d10dec508582p-2,
    0x1.300aead06350cp-2, 0x1.3302c1658658ap-2, 0x1.35f865c93293ep-2, 0x1.38ebdb38ed320p-2,
    0x1.3bdd24eb14b69p-2, 0x1.3ecc460ef5f50p-2, 0x1.41b941cce0beep-2, 0x1.44a41b463c47bp-2,
    0x1.478cd5959b3d8p-2, 0x1.4a7373cecf997p-2, 0x1.4d57f8fefe27fp-2, 0x1.503a682cb1cb3p-2,
    0x1.531ac457ee77fp-2, 0x1.55f9107a43ee2p-2, 0x1.58d54f86e02f3p-2, 0x1.5baf846aa1b1ap-2,
    0x1.5e87b20c2954ap-2, 0x1.615ddb4bec13cp-2, 0x1.64320304447c1p-2, 0x1.67042c0983e30p-2,
    0x1.69d4592a0362ep-2, 0x1.6ca28d2e34986p-2, 0x1.6f6ecad8b2292p-2, 0x1.723914e6500e2p-2,
    0x1.75016e0e2ba63p-2, 0x1.77c7d901bb913p-2, 0x1.7a8c586cdf545p-2, 0x1.7d4eeef5eec6ep-2,
    0x1.800f9f3dc94ccp-2, 0x1.82ce6bdfe4d9ep-2, 0x1.858b57725cc43p-2, 0x1.8846648600623p-2,
    0x1.8aff95a661781p-2, 0x1.8db6ed59e272dp-2, 0x1.906c6e21c4753p-2, 0x1.93201a7a35336p-2,
    0x1.95d1f4da5ca0ap-2, 0x1.9881ffb46a6f0p-2, 0x1.9b303d75a3620p-2, 0x1.9ddcb0866e742p-2,
    0x1.a0875b4a61d17p-2, 0x1.a33040204fa64p-2, 0x1.a5d7616252c36p-2, 0x1.a87cc165db199p-2,
    0x1.ab20627bba0a0p-2, 0x1.adc246f02e900p-2, 0x1.b062710af141cp-2, 0x1.b300e30f402a2p-2,
    0x1.b59d9f3bea7c3p-2, 0x1.b838a7cb5c1efp-2, 0x1.bad1fef3a9167p-2, 0x1.bd69a6e698c46p-2,
    0x1.bfffa1d1b1084p-2, 0x1.c293f1de4137dp-2, 0x1.c52699316cf6cp-2, 0x1.c7b799ec36eafp-2,
    0x1.ca46f62b8b4e6p-2, 0x1.ccd4b0084a5efp-2, 0x1.cf60c99752ad9p-2, 0x1.d1eb44e98b4c9p-2,
    0x1.d474240beddd7p-2, 0x1.d6fb6907907eap-2, 0x1.d98115e1af9b6p-2, 0x1.dc052c9bb79abp-2,
    0x1.de87af334e71cp-2, 0x1.e1089fa25d168p-2, 0x1.e387ffdf18d77p-2, 0x1.e605d1dc0c931p-2,
    0x1.e882178821d52p-2, 0x1.eafcd2cea9d72p-2, 0x1.ed7605976663dp-2, 0x1.efedb1c692a07p-2,
    0x1.f263d93cebbb9p-2, 0x1.f4d87dd7b97e6p-2, 0x1.f74ba170d6c7ep-2, 0x1.f9bd45deb9ea5p-2,
    0x1.fc2d6cf47cf1cp-2, 0x1.fe9c1881e5cfep-2, 0x1.0084a529b7386p-1, 0x1.01ba8219265a4p-1,
    0x1.02efa3f23d29cp-1, 0x1.04240b965e54cp-1, 0x1.0557b9e55634ep-1, 0x1.068aafbd5e9dap-1,
    0x1.07bcedfb229fep-1, 0x1.08ee7579c2413p-1, 0x1.0a1f4712d6292p-1, 0x1.0b4f639e73429p-1,
    0x1.0c7ecbf32e532p-1, 0x1.0dad80e61f87ap-1, 0x1.0edb834ae5f5ep-1, 0x1.1008d3f3ab146p-1,
    0x1.113573b126281p-1, 0x1.126163529fa7ap-1, 0x1.138ca3a5f494fp-1, 0x1.14b7357799cd2p-1,
    0x1.15e119929f4e4p-1, 0x1.170a50c0b3749p-1, 0x1.1832dbca262d9p-1, 0x1.195abb75ec21ap-1,
    0x1.1a81f089a1d56p-1, 0x1.1ba87bc98ec1ap-1, 0x1.1cce5df8a8622p-1, 0x1.1df397d8953bfp-1,
    0x1.1f182a29afdb1p-1, 0x1.203c15ab09c7ap-1, 0x1.215f5b1a6e729p-1, 0x1.2281fb34661a0p-1,
    0x1.23a3f6b438a52p-1, 0x1.24c54e53f0793p-1, 0x1.25e602cc5d448p-1, 0x1.270614d516c38p-1,
    0x1.282585247f7d3p-1, 0x1.2944546fc777ap-1, 0x1.2a62836aeee59p-1, 0x1.2b8012c8c8cc0p-1,
    0x1.2c9d033afda0fp-1, 0x1.2db955720de23p-1, 0x1.2ed50a1d54a5ap-1, 0x1.2ff021eb0a221p-1,
    0x1.310a9d8846313p-1, 0x1.32247da102ca6p-1, 0x1.333dc2e01e776p-1, 0x1.34566def5ec14p-1,
    0x1.356e7f7772978p-1, 0x1.3685f81ff4b06p-1, 0x1.379cd88f6de2bp-1, 0x1.38b3216b5778dp-1,
    0x1.39c8d3581d7ecp-1, 0x1.3addeef921080p-1, 0x1.3bf274f0ba70dp-1, 0x1.3d0665e03b98fp-1,
    0x1.3e19c267f2182p-1, 0x1.3f2c8b27296cdp-1, 0x1.403ec0bc2d255p-1, 0x1.415063c44b02cp-1,
    0x1.426174dbd5166p-1, 0x1.4371f49e23d9dp-1, 0x1.4481e3a59840ep-1, 0x1.4591428b9dc68p-1,
    0x1.46a011e8ac746p-1, 0x1.47ae52544ae45p-1, 0x1.48bc0465103d8p-1, 0x1.49c928b0a62bep-1,
    0x1.4ad5bfcbcad23p-1, 0x1.4be1ca4a52b77p-1, 0x1.4ced48bf2aaf3p-1, 0x1.4df83bbc59bc9p-1,
    0x1.4f02a3d302f06p-1, 0x1.500c819367434p-1, 0x1.5115d58ce769bp-1, 0x1.521ea04e05a45p-1,
    0x1.5326e264678adp-1, 0x1.542e9c5cd7d2ep-1, 0x1.5535cec348128p-1, 0x1.563c7a22d27ccp-1,
    0x1.57429f05bb9b9p-1, 0x1.58483df574045p-1, 0x1.594d577a9a07fp-1, 0x1.5a51ec1cfb5f4p-1,
    0x1.5b55fc6396d2bp-1, 0x1.5c5988d49dddep-1, 0x1.5d5c91f5764f1p-1, 0x1.5e5f184abbe28p-1,
    0x1.5f611c5841d9fp-1, 0x1.60629ea1148fep-1, 0x1.61639fa77b069p-1, 0x1.62641fecf8743p-1,
    0x1.62e42fefa39efp-1
};
static const double ct_lae_log_lo[257] = {
    0x0.0p+0, 0x1.3c2d23a074505p-63, 0x1.600d65eebbc60p-61, -0x1.7b4213447a4ccp-61,
    0x1.2be019c2d240ep-61, -0x1.885b61f610d84p-63, -0x1.cbf63e207e981p-60, 0x1.4b2c67dcd0956p-60,
    -0x1.c5bc089e0b23bp-59, 0x1.042b74e00f373p-60, -0x1.9d6a40b6e333bp-59, 0x1.19f3f276b596dp-59,
    -0x1.284d2b1a4a1edp-60, -0x1.4502014926cd6p-59, -0x1.4d9501f1df1d3p-59, 0x1.a66e7585e8241p-59,
    0x1.ba13162a9c44ep-60, 0x1.1e4add513114dp-58, 0x1.7d7a7a2605718p-58, -0x1.34d66a3f7a2b6p-58,
    0x1.44d6a6b9dad0cp-58, -0x1.9308973e22a83p-61, -0x1.42a375515892ep-58, 0x1.d2da7bd644829p-59,
    0x1.cff28ef6a5931p-58, -0x1.f491a5df236ecp-58, -0x1.e463f9e4dd91fp-59, 0x1.76df97bcb1787p-60,
    -0x1.89f383dad0d65p-58, 0x1.d248382a5ecffp-62, -0x1.64af228bcf63ap-60, -0x1.9d4a8f3f05aa5p-59,
    0x1.a227143a5a99ap-58, 0x1.38176812fe880p-59, -0x1.652e70072e4b1p-57, -0x1.aae2afa34f48ap-58,
    0x1.cf798d39f1b7dp-58, -0x1.f52f6c3723f80p-57, 0x1.837097648f581p-58, 0x1.14f176448b993p-60,
    0x1.dcdca01dc0febp-57, 0x1.f28bf9ca923d6p-58, 0x1.bbbeaea81ece2p-57, -0x1.1e103f093930dp-58,
    0x1.b1391fb1b4b22p-57, 0x1.24140543648f3p-58, -0x1.4644b3703041cp-57, -0x1.1919a4664319dp-57,
    -0x1.0ea8fd38a2c66p-58, 0x1.28891a29eac08p-57, -0x1.de12ad4822814p-57, 0x1.440d1e78f44cep-57,
    -0x1.d9f13877e61b9p-57, -0x1.16fa715e8d38bp-59, 0x1.610816ebe4976p-57, -0x1.f28442017473fp-57,
    0x1.0593750fffe78p-58, -0x1.9fb3f9cdff9d3p-57, -0x1.966bc4ca8938dp-57, 0x1.2b1a83b18de21p-58,
    0x1.1adf25feae309p-57, 0x1.9990bc47005e0p-59, -0x1.beb83c874aaf3p-57, -0x1.44269756071afp-58,
    0x1.cd329bc9d42b1p-64, -0x1.204a2aa97ac8ep-58, 0x1.d01e4d9c3e3a7p-57, -0x1.4f486fc6e8c8ap-64,
    -0x1.daf3c7a62832cp-57, -0x1.9987ee52650b9p-60, -0x1.98a0bf20f9d99p-59, 0x1.8d2b5b2204b4cp-57,
    0x1.6e32d5e8c7080p-57, -0x1.6bb183e51ec40p-56, 0x1.e9432dc9528f1p-56, 0x1.2140c5a328e6dp-56,
    -0x1.2333a23204a40p-56, 0x1.0b5e955ff414ep-59, 0x1.97b8198d22e05p-56, 0x1.a6880da1b13e4p-58,
    0x1.1458b5d97ba9dp-56, -0x1.b26dc55e2d052p-56, 0x1.154d86a4ff98bp-59, -0x1.3a2eb579e2857p-59,
    -0x1.99bae06a5c863p-61, -0x1.0e09ea9b4c4a4p-56, 0x1.895c18aa47a54p-57, 0x1.f3ee1106a6ca7p-57,
    -0x1.95d2280d51407p-58, -0x1.263d5c1f755e9p-56, 0x1.8d8af2d5b0557p-59, 0x1.2d733ea6502f0p-56,
    0x1.06d1e3224d3e9p-57, -0x1.0c4f82601ebfap-60, -0x1.8027c87f91214p-57, -0x1.430c8309edcfcp-56,
    -0x1.1c0f372f6825bp-57, -0x1.51d7e6a892849p-57, 0x1.cb3fe83434321p-56, -0x1.bc78b7cdae677p-56,
    -0x1.c4826ceaff1c8p-56, -0x1.81de37d2989eep-56, -0x1.24f586adeb499p-57, 0x1.ec1e3016fc9f5p-58,
    -0x1.fa7088c705f8ap-56, -0x1.e15bd0fed391dp-56, -0x1.d617f8a08338cp-58, 0x1.b9b7b9e219186p-56,
    -0x1.fc80d000b4083p-57, -0x1.5e8e76dd346a0p-56, -0x1.fc083df227104p-59, 0x1.4caf721f626aap-57,
    0x1.a748662fc4171p-56, -0x1.29943804dfbeep-56, -0x1.9a576c0601322p-58, -0x1.58f8f27d8e90fp-57,
    -0x1.306488dd76781p-58, -0x1.dc45997fbc413p-56, 0x1.7cab36811fa33p-57, -0x1.f4419b612c65ap-57,
    0x1.9f4fca257a85dp-57, -0x1.51ec4c14526a6p-56, 0x1.dd8e962c0c0adp-56, -0x1.02711f5645823p-57,
    -0x1.f3c3fbbc738aap-57, -0x1.951ec6ae7473ep-58, 0x1.6ef49cf67f73bp-56, 0x1.0f947c24d6d15p-57,
    -0x1.66f70bc45a4eap-56, 0x1.a254f268e3b77p-57, -0x1.83875c3d29410p-56, 0x1.11178481c3254p-57,
    0x1.027ed837c8098p-56, 0x1.db9250ec7d6c0p-56, 0x1.49cdf84b4963bp-59, 0x1.2d4ebe6b64659p-57,
    0x1.46b9d39edb329p-56, 0x1.46a03ad42b053p-58, -0x1.b230b0b86cdb3p-56, -0x1.b575624ae2937p-56,
    0x1.42e6254debd1ap-56, -0x1.7f81655ffb866p-57, 0x1.6a615815805b6p-56, 0x1.b5ac6bcf865f1p-60,
    0x1.490f7d8320aa6p-56, 0x1.555ccfd34e773p-56, -0x1.392469ec4f2d1p-57, 0x1.6b1ca5b4c2326p-57,
    0x1.894972adf9532p-58, -0x1.f73153d5f3576p-58, -0x1.5033e78d17001p-56, -0x1.fc1498cd5f810p-59,
    0x1.866ba1f8898b2p-58, 0x1.0af58040358ccp-56, -0x1.f2180135bc9e9p-57, -0x1.e1ea13f7bb73cp-56,
    -0x1.2c2a607f4211fp-56, -0x1.ae71b7919fe41p-62, -0x1.f987ff7ff1891p-56, 0x1.7694d500702eep-56,
    -0x1.a045e49ba251ep-56, 0x1.259465d63197dp-57, -0x1.746e0614b6c54p-60, -0x1.a1d4ac924a114p-56,
    -0x1.4070d99441964p-56, -0x1.91c292bb5006ep-57, -0x1.ac9a15ed191cdp-56, -0x1.4059e632f810ep-59,
    0x1.01637cd0c6322p-55, 0x1.b3ca7518f79eep-55, 0x1.3956e356c4427p-55, -0x1.09c4075c537f5p-57,
    0x1.b3b5da204f2b4p-56, 0x1.cbfa8aba6b01bp-56, -0x1.637129e8e65d6p-55, 0x1.9f7b2c890500ap-57,
    0x1.12b0a6bece97ep-55, 0x1.fe2b7fa595f64p-55, -0x1.d8d54bbb0dd12p-58, -0x1.a6e6efd578cdfp-57,
    0x1.e6178fa93d276p-57, -0x1.8dc202e52373bp-55, 0x1.3fd142b10a7d5p-57, -0x1.c3f0e01a37834p-55,
    -0x1.dcf909e3864ebp-58, 0x1.97a882bf8aad4p-56, -0x1.df40f54d1f054p-55, -0x1.f81c49a23f756p-58,
    -0x1.92db65c2b36abp-55, -0x1.5ff40c85bc439p-58, 0x1.f38426184f32ap-56, 0x1.5f5b45b30e302p-55,
    -0x1.abfa36e2d19f9p-55, -0x1.5cbe32567e6afp-57, 0x1.a1afa4aeb598ap-64, -0x1.3e6cde2013e20p-55,
    0x1.4d0496643f035p-55, -0x1.5dd121bc42e34p-55, -0x1.6534a9a0dcbbdp-57, -0x1.97f4edb1f37cbp-56,
    0x1.c3fb96be5d640p-57, 0x1.9899fca1425e8p-56, -0x1.5d299abea2437p-55, 0x1.d1ff94a792f17p-55,
    -0x1.d9becbb0e4322p-56, 0x1.0f3ef07774574p-55, -0x1.e9ae735118099p-55, 0x1.dbf08ade6a75ep-55,
    -0x1.1d5ba1424b05ap-58, 0x1.d7f1bd5fda3d6p-55, 0x1.ef8b734c91c5dp-56, -0x1.2ac7fe2a95992p-56,
    -0x1.7f9c5ae27b58ap-57, -0x1.45dac4b904390p-58, 0x1.bcade2e600649p-58, 0x1.24677c50b4f2fp-57,
    -0x1.c5ab543639f33p-55, 0x1.05d28c1ee028bp-58, 0x1.5f5078dc66fcap-55, 0x1.6ff71a5d46072p-55,
    -0x1.e1b74bd7dc57dp-56, -0x1.aa1f2821f7e80p-57, 0x1.e8eac4149d261p-56, 0x1.df8a528db9e2cp-57,
    -0x1.7c4d58c23cd48p-56, 0x1.32539ce2355b0p-55, -0x1.3f8369cbbe59cp-57, -0x1.a785f94848c6cp-55,
    0x1.52017a9a0ae4fp-58, -0x1.288675d0fb1f9p-55, -0x1.dbad233fb591cp-59, -0x1.4b98fa670a3fbp-58,
    -0x1.0f6379c6918c0p-55, 0x1.f7a9713105cedp-55, 0x1.284f66c1ee3bap-59, -0x1.c9dd3f2c57232p-55,
    -0x1.6ebac541fb222p-55, -0x1.f6f07ea5faf41p-56, 0x1.dc3c55b9ff703p-56, -0x1.df05830ea2cf0p-55,
    -0x1.d864d52029c26p-55, 0x1.df1ab56bd0694p-56, 0x1.addbe1cefeccdp-63, -0x1.8997c4a22e891p-55,
    -0x1.75638d706fc01p-55, -0x1.b91f884591919p-56, -0x1.1adfd04bb2ed0p-55, -0x1.38d3c3ffe9f6ep-58,
    0x1.b46dbddbb1f4dp-56, 0x1.82ea1d0142b6cp-61, -0x1.20a591b0ba580p-55, 0x1.10c88f64cc285p-55,
    -0x1.2591e1e383d79p-55, 0x1.c6a443e72f437p-57, 0x1.5c7e902d91dc0p-56, -0x1.a40dee0981e4cp-58,
    0x1.abc9e3b39803fp-56
};

CT_FM_INLINE double ct_logaddexp_d_fast(double a, double b)
{
    double m = a > b ? a : b, n = a > b ? b : a;
    double dh = m - n;
    double bv = dh - m, av = dh - bv;
    double dl = (m - av) - (n + bv);
    int ok = dh < CT_LAE_D_SMALL;
    dh = ok ? dh : CT_LAE_D_SMALL;
    dl = ok ? dl : 0.0;
    const double shift = 0x1.8p52;
    double ks = __builtin_fma(-dh, 0x1.71547652b82fep8, shift);    /* 256/ln2 */
    uint64_t raw = ct_double_to_bits(ks);
    double kd = ks - shift;
    double rh = __builtin_fma(kd, -0x1.62e42fefa39efp-9, -dh);        /* ln2/256 */
    double rl = __builtin_fma(kd, -0x1.abc9e3b39803fp-64, -dl);
    uint64_t j = raw & 255;
    double Th = ct_lae_exp_hi[j], Tl = ct_lae_exp_lo[j];
    /* 2^k, k = floor(kf / 256) >= -1010 here: the bias makes the shift a plain one */
    double sc = ct_bits_to_double(((raw - 0x4338000000000000ull + 1023ull * 256) >> 8) << 52);
    double q = 1.0 / 120;
    q = __builtin_fma(q, rh, 1.0 / 24);
    q = __builtin_fma(q, rh, 1.0 / 6);
    q = __builtin_fma(q, rh, 0.5);
    double low = __builtin_fma(rh * rh, q, __builtin_fma(rl, rh, rl));
    double em = rh + low, eml = (rh - em) + low;
    double th = __builtin_fma(Th, em, Th);
    double tl = __builtin_fma(Th, em, Th - th) + __builtin_fma(Th, eml, Tl);
    th *= sc;
    tl *= sc;
    double uh = 1.0 + th;
    double ulh = th - (uh - 1.0);                    /* exact; tl kept apart */
    uint64_t ub = ct_double_to_bits(uh);
    uint64_t i = (ub - 0x3ff0000000000000ull) >> 44;
    i = i < 256 ? i : 256;
    double ci = ct_bits_to_double((ub & 0xfffff00000000000ull) | 0x0000080000000000ull);
    ci = uh < 0x1.01p0 ? 1.0 : ci;
    double ri = 1.0 / (uh < 2.0 ? ci : 2.0);
    double ch = ct_lae_log_hi[i], cl = ct_lae_log_lo[i];
    double ph = uh * ri, pl = __builtin_fma(uh, ri, -ph);
    double zh = ph - 1.0;
    /* z = wh + wl + zt: wh + wl = zh + (ulh r_i + pl) (Fast2Sum), zt = tl r_i */
    double zl = __builtin_fma(ulh, ri, pl);
    double wh = zh + zl, wl = (zh - wh) + zl, zt = tl * ri;
    double z2 = wh * wh;
    double p = ct_log1p_tail_d(wh, 8);
    double wz = wl + zt;
    double tail = __builtin_fma(z2 * wh, p, cl) + __builtin_fma(wz, -wh, wz);
    tail = __builtin_fma(-0.5, z2, tail);
    double Lh = ch + wh;
    double Ll = ((ch - Lh) + wh) + tail;
    double s = m + Lh;
    double sb = s - m, sa = s - sb;
    double se = (m - sa) + (Lh - sb);
    return s + (se + Ll);
}

/* e^t on the same tables, for the gradient of logaddexp (g / (1 + e^t)):
 * t = (k 256 + j) ln2/256 + rh + rl, |rh| <= ln2/512 (rh exact as above),
 * e^t = 2^k 2^(j/256) e^r with e^r - 1 to about 2^-66, the pair
 * 2^(j/256) (1 + em) rounded once: within a hair of half an ulp. Below
 * t = -707 the value is 0 (e^t < 2^-1019, so 1 + e^t rounds to 1 either way),
 * above 709.79 +inf (past the overflow threshold); NaN stays NaN. 2^k is
 * applied as 2^(k - 1) times 2, so that k = 1024 overflows correctly. */
CT_FM_INLINE double ct_lae_exp_d(double t)
{
    double c = t < -707.0 ? -707.0 : t;
    c = c > 709.79 ? 709.79 : c;
    const double shift = 0x1.8p52;
    double ks = __builtin_fma(c, 0x1.71547652b82fep8, shift);      /* 256/ln2 */
    uint64_t raw = ct_double_to_bits(ks);
    double kd = ks - shift;
    double rh = __builtin_fma(kd, -0x1.62e42fefa39efp-9, c);        /* ln2/256 */
    double rl = kd * -0x1.abc9e3b39803fp-64;
    uint64_t j = raw & 255;
    double Th = ct_lae_exp_hi[j], Tl = ct_lae_exp_lo[j];
    /* 2^(k - 1), k = floor(kf / 256) in [-1020, 1024] */
    double sc = ct_bits_to_double(((raw - 0x4338000000000000ull + 1022ull * 256) >> 8) << 52);
    double q = 1.0 / 120;
    q = __builtin_fma(q, rh, 1.0 / 24);
    q = __builtin_fma(q, rh, 1.0 / 6);
    q = __builtin_fma(q, rh, 0.5);
    double low = __builtin_fma(rh * rh, q, __builtin_fma(rl, rh, rl));
    double em = rh + low, eml = (rh - em) + low;
    double th = __builtin_fma(Th, em, Th);
    double tl = __builtin_fma(Th, em, Th - th) + __builtin_fma(Th, eml, Tl);
    double v = ((th + tl) * sc) * 2.0;
    v = t < -707.0 ? 0.0 : v;
    return t > 709.79 ? __builtin_inf() : v;
}

#endif
